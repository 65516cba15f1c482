package dev.mqttsuite.broker.cluster;

import dev.mqttsuite.broker.auth.AnonymousAuthenticator;
import dev.mqttsuite.broker.cluster.transport.ClusterForwarder;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.server.BrokerAssembly;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One broker of a cluster in one JVM, for tests: its cluster membership (an embedded Hazelcast member on 127.0.0.1,
 * real gRPC streams) and its real core without sockets. Node ids are {@code node-<index + 1>}; the cluster's members
 * are listed by their Hazelcast ports.
 */
class TestBroker {

    static final SubscriptionOptions QOS1 = new SubscriptionOptions(1, false, false, 0, 0);

    final Vertx vertx = Vertx.vertx();
    final MeterRegistry registry = new SimpleMeterRegistry();
    final BrokerMetrics metrics = new BrokerMetrics(registry);
    final BrokerConfig config;
    final BrokerCluster cluster;
    final BrokerAssembly core;

    /** Joins the cluster {@code clusterName} of the members on {@code ports} and builds the core; not attached. */
    TestBroker(String clusterName, int[] ports, int index) {
        config = BrokerConfigValidatorTest.config(Map.of("broker.cluster.enabled", "true",
                "broker.cluster.name", clusterName, "broker.cluster.node-id", "node-" + (index + 1),
                "broker.cluster.host", "127.0.0.1", "broker.cluster.port", Integer.toString(ports[index]),
                "broker.cluster.grpc-port", "0",
                "broker.cluster.members", Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p)
                        .collect(Collectors.joining(",")),
                "broker.cluster.failure-timeout", "4s", "broker.cluster.join-timeout", "1s"));
        cluster = BrokerCluster.start(config.cluster(), config.limits(), vertx, metrics);
        core = new BrokerAssembly(config, metrics, new AnonymousAuthenticator(), new InMemoryRetainedStore(),
                cluster.routes(), SessionJournal.IN_MEMORY, cluster.forwarder());
    }

    /** Starts routing what peers forward to this broker's sessions. */
    TestBroker attach() {
        cluster.attach(core.sessions(), SessionJournal.IN_MEMORY);
        return this;
    }

    /** A connected session of {@code clientId} subscribed to {@code filter} at QoS 1, sending to {@code listener}. */
    Session subscribe(String clientId, String filter, SessionListener listener) {
        Session session = new Session(clientId, SessionLimits.from(config), metrics);
        session.attach(listener, 0);
        SubscriptionTopic topic = SubscriptionTopic.parse(filter);
        session.putSubscription(topic, QOS1);
        core.routes().subscribe(session, topic, QOS1);
        return session;
    }

    int connectedPeers() {
        return ((ClusterForwarder) cluster.forwarder()).connectedPeers();
    }

    void close() {
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Closes each broker that is still open. */
    static void closeAll(List<? extends TestBroker> brokers) {
        brokers.forEach(broker -> {
            try {
                broker.close();
            } catch (RuntimeException e) {
                // already closed by the test
            }
        });
    }
}
