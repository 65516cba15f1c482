package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.auth.AuthenticatorSelection;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.cluster.BrokerCluster;
import dev.mqttsuite.broker.cluster.transport.MutualTlsChannelSecurity;
import dev.mqttsuite.broker.session.SessionScope;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.config.InternalTlsStartup;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.sys.SysTopicsPublisher;
import dev.mqttsuite.internaltls.InternalTls;
import dev.mqttsuite.broker.transport.tls.TlsMaterial;
import dev.mqttsuite.broker.transport.tls.TlsReloader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the broker with the application: validates configuration (failing startup with the offending keys),
 * picks the authentication and retained-store adapters, and deploys one listener instance per event loop for each
 * port: MQTT plain and over TLS, MQTT over WebSocket (ws) and over secure WebSocket (wss).
 */
@ApplicationScoped
public class BrokerService {

    private static final Logger LOG = Logger.getLogger(BrokerService.class);

    @Inject
    BrokerConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    Instance<Authenticator> authenticators;

    @Inject
    Instance<RetainedStore> retainedStores;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private volatile BrokerAssembly core;
    private volatile int mqttPort = -1;
    private volatile int tlsPort = -1;
    private volatile int webSocketPort = -1;
    private volatile int webSocketTlsPort = -1;
    private final List<String> deployments = new ArrayList<>();
    private long sysTimer = -1;
    private SessionPersistence persistence;
    private TlsReloader tlsReloader; // null unless broker.tls.enabled
    private volatile BrokerCluster cluster; // null unless broker.cluster.enabled: nothing of Hazelcast loads then

    void onStart(@Observes StartupEvent event) throws Exception {
        BrokerConfigValidator.validate(config);
        Optional<InternalTls> internalTls = InternalTlsStartup.check(config);
        Authenticator authenticator = AuthenticatorSelection.select(config,
                authenticators.isResolvable() ? java.util.Optional.of(authenticators.get()) : java.util.Optional.empty());
        RetainedStore retained = retainedStores.isResolvable() ? retainedStores.get() : new InMemoryRetainedStore();
        BrokerMetrics metrics = new BrokerMetrics(registry);
        RouteTable routes = new LocalRouteTable(config.limits().maxTopicLevels());
        MessageForwarder forwarder = MessageForwarder.LOCAL_ONLY;
        if (config.cluster().enabled()) {
            cluster = BrokerCluster.start(config.cluster(), config.limits(), vertx, metrics,
                    MutualTlsChannelSecurity.of(internalTls.orElseThrow(), config.cluster().peerIdentityField(),
                            config.cluster().allowedPeers()));
            routes = cluster.routes();
            forwarder = cluster.forwarder();
        }
        SessionJournal journal = SessionJournal.IN_MEMORY;
        if (config.session().persistence() == BrokerConfig.Persistence.FILE) {
            persistence = new SessionPersistence(config.session(), registry);
            journal = persistence.journal();
        }
        if (cluster != null) {
            journal = cluster.journal(journal); // replicated persistent sessions (docs/adr/0017)
        }
        core = new BrokerAssembly(config, metrics, authenticator, retained, routes, journal, forwarder,
                cluster != null ? cluster.sessionScope() : SessionScope.LOCAL);
        if (cluster != null) {
            cluster.attach(core.sessions(), journal, new OfflineSessions(core, vertx)); // adopted, handed over
        }
        if (persistence != null) {
            persistence.restore(core, vertx);
        }
        int instances = config.mqtt().instances() == 0 ? Runtime.getRuntime().availableProcessors()
                : config.mqtt().instances();
        if (config.mqtt().port() >= 0) {
            NetServerOptions plain = new NetServerOptions().setHost(config.mqtt().host()).setPort(config.mqtt().port())
                    .setTcpNoDelay(true).setReuseAddress(true).setAcceptBacklog(1024);
            mqttPort = deploy(plain, instances, MqttServerVerticle.Kind.MQTT);
            LOG.infof("MQTT listener on %s:%d (%d event loops, authentication: %s, retained store: %s)",
                    config.mqtt().host(), mqttPort, instances, authenticator.describe(), retained.describe());
        }
        if (config.tls().enabled()) {
            tlsReloader = new TlsReloader(vertx, config.tls(), registry);
            tlsPort = deploy(tlsOptions(config.tls().host(), config.tls().port()), instances,
                    MqttServerVerticle.Kind.MQTTS);
            LOG.infof("MQTT over TLS listener on %s:%d (client certificates: %s)", config.tls().host(), tlsPort,
                    config.tls().clientAuth());
        }
        BrokerConfig.WebSocket ws = config.websocket();
        if (ws.enabled() && ws.port() >= 0) {
            NetServerOptions plain = new NetServerOptions().setHost(ws.host()).setPort(ws.port())
                    .setTcpNoDelay(true).setReuseAddress(true).setAcceptBacklog(1024);
            webSocketPort = deploy(plain, instances, MqttServerVerticle.Kind.WS);
            LOG.infof("MQTT over WebSocket listener on ws://%s:%d%s (subprotocol mqtt)", ws.host(), webSocketPort,
                    ws.path());
        }
        if (ws.enabled() && config.tls().enabled() && ws.tlsPort() >= 0) {
            webSocketTlsPort = deploy(tlsOptions(ws.host(), ws.tlsPort()), instances, MqttServerVerticle.Kind.WSS);
            LOG.infof("MQTT over secure WebSocket listener on wss://%s:%d%s (broker.tls.* certificate)", ws.host(),
                    webSocketTlsPort, ws.path());
        }
        if (tlsReloader != null) {
            tlsReloader.start();
        }
        long sysMillis = config.sys().interval().toMillis();
        if (sysMillis > 0) {
            SysTopicsPublisher sys = new SysTopicsPublisher(core.metrics(), core.sessions(), core.routes(),
                    core.retainedStore(), core.publisher(), core.startedAtMillis(), version,
                    cluster != null ? cluster.sysCounts(config.sys().interval()) : null); // + $SYS/cluster/...
            sysTimer = vertx.setPeriodic(sysMillis, id -> sys.publishNow());
        }
    }

    /**
     * Deploys the listener instances, which Vert.x lets share one bound port. Vert.x does not share a port-0 bind
     * between instances, so port 0 is first resolved to a free port (retried if another process takes it meanwhile).
     */
    private int deploy(NetServerOptions options, int instances, MqttServerVerticle.Kind kind) throws Exception {
        int attempts = options.getPort() == 0 ? 5 : 1;
        for (int attempt = 1; ; attempt++) {
            int port = options.getPort() == 0 ? freePort(options.getHost()) : options.getPort();
            NetServerOptions bound = new NetServerOptions(options).setPort(port);
            List<MqttServerVerticle> created = new java.util.concurrent.CopyOnWriteArrayList<>();
            try {
                deployments.add(vertx.deployVerticle(() -> {
                    MqttServerVerticle verticle = new MqttServerVerticle(core, bound, kind);
                    created.add(verticle);
                    return verticle;
                }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
                if (kind.tls) {
                    tlsReloader.add(created); // broker.tls.reload-interval: new certificates without restarts
                }
                return port;
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt >= attempts || !(e.getCause() instanceof java.net.BindException)) {
                    throw new IllegalStateException("Cannot listen on " + options.getHost() + ":" + port + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** TLS options from broker.tls.* for a listener on host:port (the MQTT over TLS and the wss listener). */
    private NetServerOptions tlsOptions(String host, int port) {
        BrokerConfig.Tls tls = config.tls();
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setSsl(true)
                .setTcpNoDelay(true).setEnabledSecureTransportProtocols(TlsMaterial.PROTOCOLS)
                .setSslEngineOptions(InternalTls.pooledJdkEngine()); // one pooled buffer per TLS flush, not a new one
        options.setKeyCertOptions(TlsMaterial.keyCert(tls));
        TlsMaterial.trust(tls).ifPresent(options::setTrustOptions);
        options.setClientAuth(switch (tls.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case REQUEST -> ClientAuth.REQUEST;
            case REQUIRED -> ClientAuth.REQUIRED;
        });
        return options;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (tlsReloader != null) {
            tlsReloader.close();
        }
        if (sysTimer >= 0) {
            vertx.cancelTimer(sysTimer);
        }
        for (String id : deployments) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("undeploy %s: %s", id, e.toString());
            }
        }
        if (cluster != null) {
            cluster.close(); // routes withdrawn, streams closed: nothing arrives from other brokers either
        }
        // the listeners closed every connection: sessions are detached and no message is arriving any more
        if (persistence != null && core != null) {
            persistence.save();
        }
    }

    /** The bound plain MQTT port (resolves 0), or -1 when disabled. */
    public int mqttPort() {
        return mqttPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The bound ws (MQTT over WebSocket) port, or -1 when disabled. */
    public int webSocketPort() {
        return webSocketPort;
    }

    /** The bound wss port, or -1 when disabled (it needs broker.tls.enabled). */
    public int webSocketTlsPort() {
        return webSocketTlsPort;
    }

    public BrokerAssembly core() {
        return core;
    }

    /** The cluster membership, or null when {@code broker.cluster.enabled=false}. */
    public BrokerCluster cluster() {
        return cluster;
    }

    public boolean isListening() {
        return core != null && (mqttPort > 0 || tlsPort > 0 || webSocketPort > 0 || webSocketTlsPort > 0);
    }
}
