package dev.mqttsuite.broker.support;

import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.MessagePublisher;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.Map;

/**
 * The broker's core without Netty or Quarkus, for handler and routing unit tests: real routing, sessions, retained
 * store (in memory unless given) and metrics; connections over {@link RecordingTransport}.
 */
public final class CoreFixture {

    public final BrokerConfig config;
    public final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    public final LocalRouteTable routes;
    public final LocalSessionDirectory sessions;
    public final Router router;
    public final MessagePublisher publisher;
    public final Disconnector disconnector = new Disconnector(metrics);

    public CoreFixture() {
        this(Map.of(), new InMemoryRetainedStore());
    }

    public CoreFixture(Map<String, String> settings, RetainedStore retained) {
        config = BrokerConfigValidatorTest.config(settings);
        routes = new LocalRouteTable(config.limits().maxTopicLevels());
        Router[] ref = new Router[1];
        sessions = new LocalSessionDirectory(SessionLimits.from(config), metrics, SessionJournal.IN_MEMORY,
                ended -> ended.subscriptions().keySet().forEach(t -> routes.unsubscribe(ended, t)),
                orphan -> ref[0].redeliver(orphan, null));
        router = new Router(routes, metrics, sessions::deliveryPermissions);
        ref[0] = router;
        publisher = new MessagePublisher(router, retained, SessionJournal.IN_MEMORY, MessageForwarder.LOCAL_ONLY);
    }

    /** An established connection with its session (clean start, expiry 0 unless given) and these permissions. */
    public MqttConnection connected(String clientId, MqttVersion version, Permissions permissions) {
        return connected(clientId, version, permissions, 0);
    }

    /** An established connection whose session has this Session Expiry Interval. */
    public MqttConnection connected(String clientId, MqttVersion version, Permissions permissions, long expiry) {
        MqttConnection connection = new MqttConnection(new RecordingTransport(), metrics, "test:" + clientId,
                List.of(), config.limits().receiveMaximum());
        connection.version(version);
        connection.negotiated(clientId, 65535, Long.MAX_VALUE, 0, true, null, false);
        connection.authenticated(new AuthResult.Allowed(clientId, permissions, null, false), () -> { });
        var attach = sessions.attach(clientId, true, connection, expiry).toCompletableFuture().join();
        connection.attachSession(attach.session());
        connection.state(ConnectionState.CONNECTED);
        return connection;
    }

    public static RecordingTransport transport(MqttConnection connection) {
        return (RecordingTransport) connection.transport();
    }

    /** Subscribes the connection's session, as SUBSCRIBE would. */
    public void subscribe(MqttConnection connection, String filter, int qos) {
        subscribe(connection.session(), filter, new SubscriptionOptions(qos, false, false, 0, 0));
    }

    public void subscribe(Session session, String filter, SubscriptionOptions options) {
        SubscriptionTopic topic = SubscriptionTopic.parse(filter);
        session.putSubscription(topic, options);
        routes.subscribe(session, topic, options);
    }
}
