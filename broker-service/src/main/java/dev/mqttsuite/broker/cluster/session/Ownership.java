package dev.mqttsuite.broker.cluster.session;

import java.io.Serializable;

/**
 * Who owns a client id's session cluster-wide: the value of the ownership map (key: the client id). Changed only by
 * the entry processors of this package, atomically on the key's partition, and every claim raises the epoch.
 *
 * @param incarnation the owning broker process (its node id plus a random suffix per start): a restarted broker is
 *     a new incarnation and owns nothing of its predecessor
 * @param nodeId the owning broker's node id, for logs
 * @param memberId the owning Hazelcast member, or null once that member left the cluster (orphaned: nobody serves
 *     the session; phase 2a has no replica, so a claim starts it afresh)
 * @param epoch the claim's number, raised by one at every claim of this client id while the record exists
 * @param user the principal the session belongs to (null: no authentication)
 * @param persistent whether the session outlives its connection (Session Expiry Interval above 0)
 */
public record Ownership(String incarnation, String nodeId, String memberId, long epoch, String user,
        boolean persistent) implements Serializable {

    public boolean orphaned() {
        return memberId == null;
    }

    Ownership orphan() {
        return new Ownership(incarnation, nodeId, null, epoch, user, persistent);
    }
}
