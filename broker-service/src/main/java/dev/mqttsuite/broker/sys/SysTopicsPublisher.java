package dev.mqttsuite.broker.sys;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.MessagePublisher;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes broker statistics under {@code $SYS/broker/...} every {@code broker.sys.interval}, the topics
 * Mosquitto's users know. They are routed live (QoS 0, not stored in the retained store, because several brokers
 * share that store and would overwrite each other's figures). A cluster member also shares its figures through
 * {@link ClusterCounts} and publishes the cluster-wide totals and every member's figures under
 * {@code $SYS/cluster/...} ({@link ClusterSysTopics}); a single broker publishes no cluster topics.
 */
public final class SysTopicsPublisher {

    private final BrokerMetrics metrics;
    private final SessionDirectory sessions;
    private final RouteTable routes;
    private final RetainedStore retained;
    private final MessagePublisher publisher;
    private final long startedAtMillis;
    private final String version;
    private final ClusterCounts cluster; // null: a single broker

    public SysTopicsPublisher(BrokerMetrics metrics, SessionDirectory sessions, RouteTable routes,
            RetainedStore retained, MessagePublisher publisher, long startedAtMillis, String version) {
        this(metrics, sessions, routes, retained, publisher, startedAtMillis, version, null);
    }

    /** As the other constructor; {@code cluster} (null: none) also gets the {@code $SYS/cluster/...} topics. */
    public SysTopicsPublisher(BrokerMetrics metrics, SessionDirectory sessions, RouteTable routes,
            RetainedStore retained, MessagePublisher publisher, long startedAtMillis, String version,
            ClusterCounts cluster) {
        this.cluster = cluster;
        this.metrics = metrics;
        this.sessions = sessions;
        this.routes = routes;
        this.retained = retained;
        this.publisher = publisher;
        this.startedAtMillis = startedAtMillis;
        this.version = version;
    }

    /** The current figures by topic; a cluster member shares its own with the others on the way. */
    public Map<String, String> snapshot() {
        BrokerMetrics m = metrics;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("$SYS/broker/version", "mqtt-suite broker " + version);
        values.put("$SYS/broker/uptime", ((System.currentTimeMillis() - startedAtMillis) / 1000) + " seconds");
        values.put("$SYS/broker/clients/connected", Long.toString(m.connectionCount()));
        values.put("$SYS/broker/clients/total", Long.toString(sessions.size()));
        values.put("$SYS/broker/clients/connections/total", Long.toString(m.connectionsTotal()));
        values.put("$SYS/broker/messages/received", Long.toString(m.messagesReceived()));
        values.put("$SYS/broker/messages/sent", Long.toString(m.messagesSent()));
        values.put("$SYS/broker/messages/dropped", Long.toString(m.droppedTotal()));
        values.put("$SYS/broker/bytes/received", Long.toString(m.bytesReceived()));
        values.put("$SYS/broker/bytes/sent", Long.toString(m.bytesSent()));
        values.put("$SYS/broker/subscriptions/count", Long.toString(routes.size()));
        values.put("$SYS/broker/retained messages/count", Long.toString(retained.count()));
        // Losses to queue limits, per session that lost messages (at most 1000 topics per interval).
        m.sessionDrops().entrySet().stream().limit(1000).forEach(e -> values.put(
                "$SYS/broker/sessions/" + topicLevel(e.getKey()) + "/messages/dropped",
                Long.toString(e.getValue())));
        if (cluster != null) {
            NodeCounts own = new NodeCounts(cluster.nodeId(), m.connectionCount(), sessions.size(), routes.size(),
                    m.messagesReceived(), m.messagesSent());
            cluster.share(own);
            ClusterSysTopics.put(values, cluster.members(), cluster.nodes());
        }
        return values;
    }

    /** {@code name} as one topic level: '/', '+', '#' and U+0000 become '_'. */
    static String topicLevel(String name) {
        return name.replaceAll("[/+#\\u0000]", "_");
    }

    public void publishNow() {
        snapshot().forEach((topic, value) -> publisher.publishInternal(new Message(TopicName.of(topic),
                value.getBytes(StandardCharsets.UTF_8), 0, false, PublishProperties.NONE, null, 0)));
    }
}
