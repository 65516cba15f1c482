package dev.mqttsuite.broker.sys;

import java.io.Serializable;

/**
 * One broker's figures that add up to cluster-wide {@code $SYS/cluster/...} totals: what it shares with the other
 * members every {@code broker.sys.interval} (the same figures as its {@code $SYS/broker/...} topics).
 *
 * @param nodeId the broker's node id ({@code broker.cluster.node-id})
 * @param clientsConnected connections open now ({@code $SYS/broker/clients/connected})
 * @param sessions sessions held, connected or not ({@code $SYS/broker/clients/total})
 * @param subscriptions subscriptions ({@code $SYS/broker/subscriptions/count})
 * @param messagesReceived PUBLISH packets received since start ({@code $SYS/broker/messages/received})
 * @param messagesSent PUBLISH packets sent since start ({@code $SYS/broker/messages/sent})
 */
public record NodeCounts(String nodeId, long clientsConnected, long sessions, long subscriptions,
        long messagesReceived, long messagesSent) implements Serializable {

    /** The figures of both, under {@code nodeId}. */
    public NodeCounts plus(NodeCounts other, String nodeId) {
        return new NodeCounts(nodeId, clientsConnected + other.clientsConnected, sessions + other.sessions,
                subscriptions + other.subscriptions, messagesReceived + other.messagesReceived,
                messagesSent + other.messagesSent);
    }
}
