package dev.mqttsuite.broker.cluster.member;

/**
 * Another broker of the cluster as its Hazelcast member announces it.
 *
 * @param memberId the Hazelcast member UUID: new at every start, so a restarted broker is a new peer
 * @param nodeId the broker's configured (or generated) name, for logs and metric tags
 * @param grpcHost where its broker-to-broker gRPC server listens
 * @param grpcPort its port
 */
public record Peer(String memberId, String nodeId, String grpcHost, int grpcPort) {

    public String grpcAddress() {
        return grpcHost + ":" + grpcPort;
    }
}
