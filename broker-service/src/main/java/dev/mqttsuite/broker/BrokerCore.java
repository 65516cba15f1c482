package dev.mqttsuite.broker;

import dev.mqttsuite.broker.auth.AuthExchange;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connect.ConnectHandler;
import dev.mqttsuite.broker.connection.ConnectionCloser;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.disconnect.DisconnectHandler;
import dev.mqttsuite.broker.disconnect.Disconnector;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.ping.PingreqHandler;
import dev.mqttsuite.broker.publish.MessagePublisher;
import dev.mqttsuite.broker.publish.PubackHandler;
import dev.mqttsuite.broker.publish.PubcompHandler;
import dev.mqttsuite.broker.publish.PublishHandler;
import dev.mqttsuite.broker.publish.PubrecHandler;
import dev.mqttsuite.broker.publish.PubrelHandler;
import dev.mqttsuite.broker.retained.RetainedDelivery;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SessionRegistry;
import dev.mqttsuite.broker.subscribe.SubscribeHandler;
import dev.mqttsuite.broker.subscribe.SubscriptionOptions;
import dev.mqttsuite.broker.subscribe.UnsubscribeHandler;
import dev.mqttsuite.broker.will.WillService;
import dev.mqttsuite.topic.index.SubscriptionIndex;

/**
 * The broker's object graph, framework-free: built once at startup from configuration and the two ports
 * (authenticator, retained store), shared by every connection on every event loop.
 */
public final class BrokerCore {

    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final Authenticator authenticator;
    private final RetainedStore retainedStore;
    private final SessionRegistry sessions;
    private final Router router;
    private final MessagePublisher publisher;
    private final Disconnector disconnector;
    private final WillService wills;
    private final RetainedDelivery retainedDelivery;
    private final ConnectionCloser closer;
    private final ConnectHandler connectHandler;
    private final PublishHandler publishHandler;
    private final PubackHandler pubackHandler = new PubackHandler();
    private final PubrecHandler pubrecHandler = new PubrecHandler();
    private final PubrelHandler pubrelHandler = new PubrelHandler();
    private final PubcompHandler pubcompHandler = new PubcompHandler();
    private final SubscribeHandler subscribeHandler;
    private final UnsubscribeHandler unsubscribeHandler;
    private final PingreqHandler pingreqHandler = new PingreqHandler();
    private final DisconnectHandler disconnectHandler;
    private final AuthExchange authExchange;
    private final long startedAtMillis = System.currentTimeMillis();

    public BrokerCore(BrokerConfig config, BrokerMetrics metrics, Authenticator authenticator,
            RetainedStore retainedStore) {
        this.config = config;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.retainedStore = retainedStore;
        SubscriptionIndex<Session, SubscriptionOptions> index =
                new SubscriptionIndex<>(config.limits().maxTopicLevels());
        SessionLimits limits = SessionLimits.from(config);
        this.router = new Router(index, metrics, this::permissionsOf);
        this.sessions = new SessionRegistry(index, limits, metrics, orphan -> router.redeliver(orphan, null));
        this.publisher = new MessagePublisher(router, retainedStore);
        this.disconnector = new Disconnector(metrics);
        this.wills = new WillService(publisher);
        this.retainedDelivery = new RetainedDelivery(retainedStore,
                Math.max(1, limits.highWatermark() - limits.lowWatermark()), this::permissionsOf);
        this.closer = new ConnectionCloser(this);
        this.connectHandler = new ConnectHandler(this);
        this.publishHandler = new PublishHandler(this);
        this.subscribeHandler = new SubscribeHandler(this);
        this.unsubscribeHandler = new UnsubscribeHandler(this);
        this.disconnectHandler = new DisconnectHandler(disconnector);
        this.authExchange = new AuthExchange(authenticator, disconnector);
        metrics.gauge("mqtt.sessions", "Sessions, connected or not", sessions::size);
        metrics.gauge("mqtt.subscriptions", "Subscriptions in the index", index::size);
        metrics.gauge("mqtt.retained.messages", "Retained messages", retainedStore::count);
        metrics.gauge("mqtt.wills.delayed", "Will messages waiting for their delay", wills::delayedCount);
        metrics.gauge("mqtt.messages.queued", "Messages queued in sessions, not yet sent",
                () -> sessions.all().stream().mapToLong(Session::queuedMessages).sum());
        metrics.gauge("mqtt.messages.inflight", "QoS 1/2 messages sent and not yet acknowledged",
                () -> sessions.all().stream().mapToLong(Session::inflightMessages).sum());
    }

    /** The permissions deliveries to this session are checked against: its connection's, or the last known. */
    private Permissions permissionsOf(Session session) {
        SessionListener listener = sessions.connectionOf(session);
        if (listener instanceof MqttConnection connection) {
            return connection.effectivePermissions();
        }
        return session.offlinePermissions();
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public RetainedStore retainedStore() {
        return retainedStore;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Router router() {
        return router;
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

    public RetainedDelivery retainedDelivery() {
        return retainedDelivery;
    }

    public ConnectionCloser closer() {
        return closer;
    }

    public ConnectHandler connectHandler() {
        return connectHandler;
    }

    public PublishHandler publishHandler() {
        return publishHandler;
    }

    public PubackHandler pubackHandler() {
        return pubackHandler;
    }

    public PubrecHandler pubrecHandler() {
        return pubrecHandler;
    }

    public PubrelHandler pubrelHandler() {
        return pubrelHandler;
    }

    public PubcompHandler pubcompHandler() {
        return pubcompHandler;
    }

    public SubscribeHandler subscribeHandler() {
        return subscribeHandler;
    }

    public UnsubscribeHandler unsubscribeHandler() {
        return unsubscribeHandler;
    }

    public PingreqHandler pingreqHandler() {
        return pingreqHandler;
    }

    public DisconnectHandler disconnectHandler() {
        return disconnectHandler;
    }

    public AuthExchange authExchange() {
        return authExchange;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }
}
