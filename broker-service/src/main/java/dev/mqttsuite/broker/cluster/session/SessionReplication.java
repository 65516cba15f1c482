package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.IMap;
import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replicated persistent sessions (docs/adr/0017-cluster-session-replication.md): the replica map (one entry per
 * persistent session, on its partition owner and one synchronous backup), the replicator that ships this broker's
 * session records to it, and the promotion of a replica when its owner is gone.
 */
public final class SessionReplication implements AutoCloseable {

    private final IMap<String, Replica> replicas;
    private final String incarnation;
    private final SessionReplicator replicator;
    private volatile ClusterSessionDirectory directory;

    /**
     * @param timeout how long one replication round may take before the acknowledgements waiting for it are refused
     */
    public SessionReplication(ClusterMember member, Duration timeout, MeterRegistry registry) {
        this.replicas = member.hazelcast().getMap(ClusterMember.REPLICAS_MAP);
        this.incarnation = newIncarnation(member.nodeId());
        this.replicator = new SessionReplicator(replicas, incarnation, clientId -> {
            ClusterSessionDirectory sessions = directory;
            return sessions == null ? -1 : sessions.epochOf(clientId);
        }, timeout, registry);
    }

    /** A broker process's identity in ownership records and replicas: node id plus a random suffix per start. */
    static String newIncarnation(String nodeId) {
        return nodeId + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The journal the broker's sessions write to: the local one and the replica. */
    public SessionJournal journal(SessionJournal local) {
        return new ReplicatedJournal(local, replicator);
    }

    String incarnation() {
        return incarnation;
    }

    /** The directory whose claims give the records their epochs. */
    void directory(ClusterSessionDirectory sessions) {
        this.directory = sessions;
    }

    /**
     * Takes the replica of a session whose owner {@code previous} is gone, for this broker's claim at {@code epoch}:
     * completes with its state in snapshot form, or null when there is none to take (see {@link Promote}).
     */
    CompletionStage<byte[]> promote(String clientId, Ownership previous, long epoch) {
        try {
            return replicas.submitToKey(clientId, new Promote(previous.incarnation(), incarnation, epoch,
                    System.currentTimeMillis()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The replica starts again from this whole state (a session restored from disk, claimed at {@code epoch}). */
    void reset(String clientId, long epoch, SessionState state) {
        replicator.reset(clientId, epoch, state);
    }

    /**
     * The replica of a session handed over to this broker goes, under this broker's claim at {@code epoch}: the session
     * no longer outlives its connection (a persistent one rewrites its replica when its connection attaches).
     */
    void drop(String clientId, long epoch) {
        replicator.drop(clientId, epoch);
    }

    /** Sends what is queued, then stops (the replicas stay for the survivors). */
    @Override
    public void close() {
        replicator.close();
    }
}
