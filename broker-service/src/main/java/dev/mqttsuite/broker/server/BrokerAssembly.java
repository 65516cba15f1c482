package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connect.AuthExchange;
import dev.mqttsuite.broker.connect.ConnectHandler;
import dev.mqttsuite.broker.connect.ConnectParser;
import dev.mqttsuite.broker.connection.Admission;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.broker.disconnect.ConnectionCloser;
import dev.mqttsuite.broker.disconnect.DisconnectHandler;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.ping.PingreqHandler;
import dev.mqttsuite.broker.publish.PubackHandler;
import dev.mqttsuite.broker.publish.PubcompHandler;
import dev.mqttsuite.broker.publish.PublishHandler;
import dev.mqttsuite.broker.publish.PubrecHandler;
import dev.mqttsuite.broker.config.QuotaConfig;
import dev.mqttsuite.broker.publish.PubrelHandler;
import dev.mqttsuite.broker.quota.QuotaMetrics;
import dev.mqttsuite.broker.quota.Quotas;
import dev.mqttsuite.broker.retained.RetainedDelivery;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.MessagePublisher;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SessionScope;
import dev.mqttsuite.broker.subscribe.SubscribeHandler;
import dev.mqttsuite.broker.subscribe.UnsubscribeHandler;
import dev.mqttsuite.broker.transport.MqttChannelHandler;
import dev.mqttsuite.broker.transport.PacketDispatcher;
import dev.mqttsuite.broker.will.WillService;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.List;

/**
 * The composition root of the broker, framework-free: builds every component once from configuration and the ports
 * (authenticator, retained store, route table, session directory, session journal, forwarder), wiring each handler
 * with exactly the collaborators it uses, and the one dispatch table. Only the server layer (listeners, $SYS, the
 * auth change watcher, persistence) and tests hold it; nothing below imports it.
 */
public final class BrokerAssembly {

    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final RetainedStore retainedStore;
    private final RouteTable routes;
    private final SessionDirectory sessions;
    private final LocalSessionDirectory localSessions;
    private final Router router;
    private final MessagePublisher publisher;
    private final Disconnector disconnector;
    private final Admission admission;
    private final WillService wills;
    private final SessionExpiry expiry;
    private final ConnectionCloser closer;
    private final PacketDispatcher dispatcher;
    private final Quotas quotas;
    private final long startedAtMillis = System.currentTimeMillis();

    /** A single node: local routes and sessions, in-memory queues. */
    public BrokerAssembly(BrokerConfig config, BrokerMetrics metrics, Authenticator authenticator,
            RetainedStore retainedStore) {
        this(config, metrics, authenticator, retainedStore, new LocalRouteTable(config.limits().maxTopicLevels()),
                SessionJournal.IN_MEMORY, MessageForwarder.LOCAL_ONLY);
    }

    public BrokerAssembly(BrokerConfig config, BrokerMetrics metrics, Authenticator authenticator,
            RetainedStore retainedStore, RouteTable routes, SessionJournal journal, MessageForwarder forwarder) {
        this(config, metrics, authenticator, retainedStore, routes, journal, forwarder, SessionScope.LOCAL);
    }

    /** @param scope how far sessions reach: this broker, or the cluster (one owner per client id) */
    public BrokerAssembly(BrokerConfig config, BrokerMetrics metrics, Authenticator authenticator,
            RetainedStore retainedStore, RouteTable routes, SessionJournal journal, MessageForwarder forwarder,
            SessionScope scope) {
        this.config = config;
        this.metrics = metrics;
        this.retainedStore = retainedStore;
        this.routes = routes;
        SessionLimits limits = SessionLimits.from(config);
        Router[] routerRef = new Router[1];
        this.disconnector = new Disconnector(metrics);
        this.localSessions = new LocalSessionDirectory(limits, metrics, journal,
                ended -> ended.subscriptions().keySet().forEach(topic -> routes.unsubscribe(ended, topic)),
                orphan -> routerRef[0].redeliver(orphan, null),
                config.session().foreignClientId() == BrokerConfig.ForeignClientId.REFUSE);
        this.sessions = scope.wrap(localSessions, this::evict);
        this.router = new Router(routes, metrics, sessions::deliveryPermissions, forwarder);
        routerRef[0] = router;
        this.publisher = new MessagePublisher(router, retainedStore, journal, forwarder);
        this.admission = new Admission(config.mqtt().maxConnections(), config.mqtt().maxConnectionsPerAddress(),
                config.auth().maxPending(), metrics.registry());
        this.wills = new WillService(publisher);
        this.expiry = new SessionExpiry(config.session().maxExpiryInterval());
        this.closer = new ConnectionCloser(sessions, router, wills, metrics);
        RetainedDelivery retainedDelivery = new RetainedDelivery(retainedStore,
                Math.max(1, limits.highWatermark() - limits.lowWatermark()), sessions::deliveryPermissions);
        AuthExchange authExchange = new AuthExchange(authenticator, disconnector);
        this.quotas = new Quotas(config.quota(), new QuotaMetrics(metrics.registry()), System::nanoTime);
        ConnectHandler connect = new ConnectHandler(new ConnectParser(config.limits(), config.mqtt(), expiry),
                authenticator, authExchange, sessions, wills, disconnector, metrics, config.limits(), admission,
                quotas);
        this.dispatcher = PacketDispatcher.builder(connect, authExchange, disconnector)
                .on(MqttMessageType.PUBLISH, new PublishHandler(publisher, disconnector, metrics, config.limits(),
                        config.quota().qos0OverRate() == QuotaConfig.Qos0OverRate.DISCONNECT))
                .on(MqttMessageType.PUBACK, new PubackHandler())
                .on(MqttMessageType.PUBREC, new PubrecHandler())
                .on(MqttMessageType.PUBREL, new PubrelHandler())
                .on(MqttMessageType.PUBCOMP, new PubcompHandler())
                .on(MqttMessageType.SUBSCRIBE,
                        new SubscribeHandler(routes, retainedDelivery, disconnector, config.limits(),
                                quotas.metrics(),
                                config.auth().shareGroups() == BrokerConfig.Auth.ShareGroups.RULES))
                .on(MqttMessageType.UNSUBSCRIBE, new UnsubscribeHandler(routes))
                .on(MqttMessageType.PINGREQ, new PingreqHandler())
                .on(MqttMessageType.DISCONNECT, new DisconnectHandler(disconnector, expiry))
                .build();
        metrics.gauge("mqtt.sessions", "Sessions, connected or not", sessions::size);
        metrics.gauge("mqtt.subscriptions", "Subscriptions in the index", routes::size);
        metrics.gauge("mqtt.retained.messages", "Retained messages", retainedStore::count);
        metrics.gauge("mqtt.wills.delayed", "Will messages waiting for their delay", wills::delayedCount);
        metrics.gauge("mqtt.messages.queued", "Messages queued in sessions, not yet sent",
                () -> sessions.all().stream().mapToLong(Session::queuedMessages).sum());
        metrics.gauge("mqtt.messages.inflight", "QoS 1/2 messages sent and not yet acknowledged",
                () -> sessions.all().stream().mapToLong(Session::inflightMessages).sum());
    }

    /** Closes a connection whose session another broker owns now: 0x8E, as a takeover on one broker. */
    private void evict(SessionListener connection, boolean sessionContinues) {
        if (connection instanceof MqttConnection mqtt) {
            mqtt.transport().execute(() -> {
                Will will = mqtt.will();
                if (sessionContinues && will != null && will.delaySeconds() > 0) {
                    mqtt.will(null); // the session resumed elsewhere before the delay ended [MQTT-3.1.3-9]
                }
                disconnector.disconnect(mqtt, DisconnectReasonCode.SESSION_TAKEN_OVER,
                        "the session moved to another broker");
            });
        }
    }

    /** The Netty handler for a newly accepted connection. */
    public MqttChannelHandler newChannelHandler(String remoteAddress, List<String> certificateIdentities) {
        return new MqttChannelHandler(dispatcher, disconnector, closer, metrics, remoteAddress, certificateIdentities,
                config.limits().receiveMaximum(), config.mqtt().closeLinger(),
                new MqttChannelHandler.PreConnack(config.mqtt().connectTimeout(),
                        config.mqtt().maxPacketsBeforeConnack(), config.mqtt().maxBytesBeforeConnack(), admission));
    }

    /** The limits that apply before authentication (connections, pending logins). */
    public Admission admission() {
        return admission;
    }

    /** Rate limits and connection quotas (broker.quota.*). */
    public Quotas quotas() {
        return quotas;
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public RetainedStore retainedStore() {
        return retainedStore;
    }

    public RouteTable routes() {
        return routes;
    }

    public SessionDirectory sessions() {
        return sessions;
    }

    /** This broker's sessions in client id order (the admin API's listings). */
    public java.util.NavigableMap<String, Session> sessionsByClientId() {
        return localSessions.byClientId();
    }

    public MessagePublisher publisher() {
        return publisher;
    }

    public Disconnector disconnector() {
        return disconnector;
    }

    public WillService wills() {
        return wills;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }
}
