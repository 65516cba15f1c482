package dev.mqttsuite.broker.sys;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

/**
 * The cluster-wide {@code $SYS} topics: totals under {@code $SYS/cluster/...} and each member's figures under
 * {@code $SYS/cluster/nodes/<node id>/...}, with the same suffixes as the broker's own {@code $SYS/broker/...} topics
 * (so a dashboard switches scope by prefix), plus {@code $SYS/cluster/members}.
 */
final class ClusterSysTopics {

    static final String PREFIX = "$SYS/cluster/";

    private ClusterSysTopics() {
    }

    /** Adds the cluster topics for {@code members} brokers and the figures of {@code nodes} to {@code values}. */
    static void put(Map<String, String> values, int members, Collection<NodeCounts> nodes) {
        values.put(PREFIX + "members", Integer.toString(members));
        NodeCounts total = new NodeCounts("", 0, 0, 0, 0, 0);
        for (NodeCounts node : nodes) {
            total = total.plus(node, "");
        }
        figures(values, PREFIX, total);
        nodes.stream().sorted(Comparator.comparing(NodeCounts::nodeId)).forEach(node -> figures(values,
                PREFIX + "nodes/" + SysTopicsPublisher.topicLevel(node.nodeId()) + "/", node));
    }

    private static void figures(Map<String, String> values, String prefix, NodeCounts counts) {
        values.put(prefix + "clients/connected", Long.toString(counts.clientsConnected()));
        values.put(prefix + "clients/total", Long.toString(counts.sessions()));
        values.put(prefix + "subscriptions/count", Long.toString(counts.subscriptions()));
        values.put(prefix + "messages/received", Long.toString(counts.messagesReceived()));
        values.put(prefix + "messages/sent", Long.toString(counts.messagesSent()));
    }
}
