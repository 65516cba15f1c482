package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.OfflineSessionEvents;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SessionScope;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The session directory of a cluster member (docs/adr/0011-broker-cluster-routing.md, "Sessions (phase 2a)"): this
 * broker's sessions stay in a {@link LocalSessionDirectory}, and a client id has one owner cluster-wide, recorded in
 * the Hazelcast ownership map ({@link Ownership}, changed only by {@link Claim} and friends, each claim one epoch up).
 *
 * <ul>
 *   <li>CONNECT: claim first; if another live broker owned the session, ask it over gRPC ({@link Handover}) to close
 *       the client's connection there (0x8E), end the session and hand its state over, then restore it here. An
 *       unreachable or departed owner means a fresh session (phase 2a keeps no replica).</li>
 *   <li>Fencing: whenever the map shows a client id held here owned by another broker (entry events; a check after
 *       every claim; a full check after a split healed), the connection here gets 0x8E and the local copy goes (after
 *       a grace period in which the new owner normally asks for the session instead).</li>
 *   <li>A member that left has its records marked orphaned by the survivors; a session ending here removes its
 *       record unless the epoch moved on.</li>
 * </ul>
 * Below the split-brain quorum every map operation fails, so CONNECT gets 0x88 on the minority side.
 */
public final class ClusterSessionDirectory implements SessionDirectory, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterSessionDirectory.class);
    /** Attempts of the orphaning run after a member left, and the pause between them (60 s in all). */
    static final int ORPHAN_ATTEMPTS = 120;
    static final long ORPHAN_RETRY_MILLIS = 500;

    /** How a broker asks the previous owner for a session; completes with its state, or null when it had none. */
    @FunctionalInterface
    public interface Handover {
        CompletionStage<byte[]> request(Peer owner, String clientId, long epoch, boolean discard);
    }

    /** A client id this broker claimed, at the claim's epoch; the session once attached. */
    private record Holding(long epoch, Session session) {
    }

    private final LocalSessionDirectory local;
    private final SessionScope.Evictor evictor;
    private final RouteTable routes;
    private final ClusterMember member;
    private final Handover handover;
    private final SessionReplication replication;
    private volatile OfflineSessionEvents offline = OfflineSessionEvents.NONE;
    /** Per departed member: this broker's pass over its sessions is done (kept: members leave rarely). */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> departures = new ConcurrentHashMap<>();
    private final IMap<String, Ownership> owners;
    private final String incarnation;
    private final ConcurrentHashMap<String, Holding> held = new ConcurrentHashMap<>();
    private final Duration grace;
    private final ScheduledExecutorService lane = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mqtt-cluster-sessions");
        thread.setDaemon(true);
        return thread;
    });
    private final UUID listenerId;

    /**
     * @param grace how long a broker that sees its claim superseded waits for the new owner's takeover request
     *     before it drops the session on its own (the takeover timeout and a margin)
     */
    public ClusterSessionDirectory(LocalSessionDirectory local, SessionScope.Evictor evictor, RouteTable routes,
            ClusterMember member, Handover handover, Duration grace) {
        this(local, evictor, routes, member, handover, grace, null);
    }

    /**
     * @param replication the replicas of persistent sessions, taken when an owner is gone; null: none (a fresh
     *     session then)
     */
    public ClusterSessionDirectory(LocalSessionDirectory local, SessionScope.Evictor evictor, RouteTable routes,
            ClusterMember member, Handover handover, Duration grace, SessionReplication replication) {
        this.grace = grace;
        this.local = local;
        this.evictor = evictor;
        this.routes = routes;
        this.member = member;
        this.handover = handover;
        this.replication = replication;
        this.owners = member.hazelcast().getMap(ClusterMember.SESSIONS_MAP);
        this.incarnation = replication != null ? replication.incarnation()
                : SessionReplication.newIncarnation(member.nodeId());
        if (replication != null) {
            replication.directory(this);
        }
        this.listenerId = owners.addEntryListener(new Listener(), true);
        member.onMembership(peer -> { }, peer -> later(() -> memberLeft(peer.memberId()), 0));
        member.onMerged(() -> later(this::recheckAll, 0));
    }

    // ---- CONNECT ----------------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Attach> attach(String clientId, boolean cleanStart, SessionListener connection,
            long expiryInterval, String principal) {
        Ownership claimant = new Ownership(incarnation, member.nodeId(), member.currentMemberId(), 0, principal,
                expiryInterval > 0);
        CompletionStage<Claim.Result> claim;
        try {
            claim = owners.submitToKey(clientId, new Claim(claimant, local.refusesForeign(), false));
        } catch (RuntimeException e) { // split-brain protection, member shutting down
            return CompletableFuture.failedFuture(e);
        }
        return claim.thenCompose(result -> {
            if (result.foreign()) {
                return CompletableFuture.failedFuture(new ForeignSession(clientId));
            }
            long epoch = result.current().epoch();
            held.compute(clientId, (id, h) -> h == null || h.epoch() < epoch ? new Holding(epoch, null) : h);
            Ownership previous = result.previous();
            if (previous == null || previous.incarnation().equals(incarnation)) {
                return attachHere(clientId, cleanStart, connection, expiryInterval, principal, epoch);
            }
            Peer owner = previous.orphaned() ? null : member.peer(previous.memberId()).orElse(null);
            if (owner == null) {
                return fromReplica(clientId, cleanStart, previous, epoch, "its owner " + previous.nodeId()
                        + " left the cluster").thenCompose(restored -> attachHere(clientId, cleanStart || !restored,
                                connection, expiryInterval, principal, epoch));
            }
            boolean othersSession = previous.user() != null && !previous.user().equals(principal);
            boolean discard = cleanStart || othersSession;
            return handover.request(owner, clientId, epoch, discard).handle((state, failure) -> {
                if (failure != null) {
                    return fromReplica(clientId, discard, previous, epoch, previous.nodeId()
                            + " did not hand it over (" + failure + ")");
                }
                boolean restored = !discard && state != null && adopt(state);
                if (restored && expiryInterval == 0 && replication != null) {
                    // it outlives no connection from now on: the replica the previous owner left goes (ADR 0017)
                    replication.drop(clientId, epoch);
                }
                return CompletableFuture.completedFuture(restored);
            }).thenCompose(restored -> restored).thenCompose(restored -> attachHere(clientId,
                    cleanStart || !restored, connection, expiryInterval, principal, epoch));
        });
    }

    /**
     * The owner is gone (left the cluster, or did not answer): the session is restored from its replica, which this
     * claim takes over (fencing the old owner's records, docs/adr/0017); a fresh session when there is none.
     */
    private CompletionStage<Boolean> fromReplica(String clientId, boolean discard, Ownership previous, long epoch,
            String why) {
        if (replication == null || discard || !previous.persistent()) {
            LOG.debugf("Session %s: %s, starting afresh", clientId, why);
            return CompletableFuture.completedFuture(false);
        }
        return replication.promote(clientId, previous, epoch).handle((state, failure) -> {
            if (failure != null || state == null) {
                LOG.warnf("Session %s: %s and no replica could be taken (%s), starting afresh", clientId, why,
                        failure != null ? failure.toString() : "none");
                return false;
            }
            LOG.infof("Session %s: %s, restored from its replica (epoch %d)", clientId, why, epoch);
            return adopt(state);
        });
    }

    private CompletionStage<Attach> attachHere(String clientId, boolean cleanStart, SessionListener connection,
            long expiryInterval, String principal, long epoch) {
        return local.attach(clientId, cleanStart, connection, expiryInterval, principal).thenApply(attach -> {
            held.computeIfPresent(clientId, (id, h) -> h.epoch() == epoch ? new Holding(epoch, attach.session()) : h);
            // an event of a later claim may have come before the holding was recorded: read the record once more
            owners.getAsync(clientId).thenAccept(record -> check(clientId, record));
            return attach;
        });
    }

    /** Restores a session the previous owner handed over, with its routes; false when its bytes cannot be read. */
    private boolean adopt(byte[] bytes) {
        SessionState state;
        try {
            state = SessionSnapshot.decode(bytes);
        } catch (IOException e) {
            LOG.warnf("A handed-over session could not be read, starting afresh: %s", e.getMessage());
            return false;
        }
        Session session = local.adopt(state);
        state.subscriptions().forEach((topic, options) -> routes.subscribe(session, topic, options));
        return true;
    }

    // ---- the previous owner's side ----------------------------------------------------------------------------------

    /**
     * Another broker claimed {@code clientId} at {@code epoch} and asks for the session: its connection here is closed
     * with 0x8E, the session ends here and its state is returned (null: none here, a newer claim here, or
     * {@code discard}). Any thread.
     */
    public byte[] handOver(String clientId, long epoch, boolean discard) {
        Holding holding = held.get(clientId);
        if (holding != null && holding.epoch() >= epoch) {
            return null; // claimed here after the caller did: the caller is the one fenced
        }
        Session session = local.get(clientId);
        if (session == null || session.isEnded()) {
            if (holding != null) {
                held.remove(clientId, holding);
            }
            return null;
        }
        SessionListener connection = local.connectionOf(session);
        if (connection != null && local.detach(session, connection)) {
            evictor.evict(connection, !discard);
        }
        SessionState state = local.handOver(session, System.currentTimeMillis(), !discard);
        if (holding != null) {
            held.remove(clientId, holding); // after the end's records: they carry this broker's epoch (ADR 0017)
        }
        if (state != null) {
            offline.handedOver(clientId, !discard);
        }
        LOG.debugf("Session %s handed over (epoch %d, %s)", clientId, epoch, discard ? "discarded" : "moved");
        return state == null || discard ? null : SessionSnapshot.encode(state);
    }

    // ---- fencing ----------------------------------------------------------------------------------------------------

    /**
     * The record says another broker owns a client id held here: that broker normally asks for the session at once
     * ({@link #handOver} ends the holding); if it does not within the grace period (it could not reach this broker),
     * the session here is dropped all the same.
     */
    private void check(String clientId, Ownership record) {
        if (record == null || record.incarnation().equals(incarnation)) {
            return; // ours (or removed, or ours orphaned by a partition: the check after the merge settles those)
        }
        Holding holding = held.get(clientId);
        if (holding != null) {
            later(() -> fence(clientId, holding, record), grace.toMillis());
        }
    }

    private void fence(String clientId, Holding holding, Ownership now) {
        if (!held.remove(clientId, holding)) {
            return;
        }
        Session session = holding.session() != null ? holding.session() : local.get(clientId);
        LOG.infof("Session %s is owned by %s now (epoch %d, ours was %d): closing it here", clientId, now.nodeId(),
                now.epoch(), holding.epoch());
        if (session == null) {
            return;
        }
        SessionListener connection = local.connectionOf(session);
        if (connection != null && local.detach(session, connection)) {
            evictor.evict(connection, true);
        }
        local.endIfIdle(session);
    }

    /**
     * Completes when this broker's pass over the sessions of a departed member is done (orphaned, and adopted where
     * this broker won them): until then its routes are held (docs/adr/0017).
     */
    public CompletionStage<Void> departed(String memberId) {
        return departures.computeIfAbsent(memberId, id -> new CompletableFuture<>());
    }

    private void memberLeft(String memberId) {
        memberLeft(memberId, 1);
    }

    /**
     * Right after a member's loss the ownership map may still be migrating its partitions, and the orphaning run can
     * fail: it is retried ({@link #ORPHAN_RETRY_MILLIS} apart, at most {@link #ORPHAN_ATTEMPTS} times) rather than
     * given up, or the departed broker's sessions would never be adopted (their wills never published).
     */
    private void memberLeft(String memberId, int attempt) {
        boolean done = true;
        try {
            done = adoptSessionsOf(memberId, attempt == ORPHAN_ATTEMPTS);
        } finally {
            if (done || attempt >= ORPHAN_ATTEMPTS) {
                departures.computeIfAbsent(memberId, id -> new CompletableFuture<>()).complete(null);
            } else {
                later(() -> memberLeft(memberId, attempt + 1), ORPHAN_RETRY_MILLIS);
            }
        }
    }

    /** @return false when the orphaning run failed and should be tried again */
    private boolean adoptSessionsOf(String memberId, boolean lastAttempt) {
        if (member.peer(memberId).isPresent()) {
            LOG.infof("Member %s is in the cluster again (a split healed): its sessions stay its own", memberId);
            return true;
        }
        Map<String, Boolean> orphaned;
        try {
            orphaned = owners.executeOnEntries(new Orphan(memberId));
        } catch (RuntimeException e) {
            if (lastAttempt) {
                LOG.warnf("Marking the sessions of the departed member %s orphaned failed %d times, giving up (their"
                        + " clients still resume them from the replicas): %s", memberId, ORPHAN_ATTEMPTS, e.toString());
            } else {
                LOG.debugf("Marking the sessions of member %s orphaned failed, retrying: %s", memberId, e.toString());
            }
            return false;
        }
        if (replication == null) {
            return true;
        }
        List<String> mine = orphaned.entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue()))
                .map(Map.Entry::getKey).toList();
        if (!mine.isEmpty()) {
            LOG.infof("Adopting %d persistent session(s) of the departed member %s from their replicas", mine.size(),
                    memberId);
        }
        for (String clientId : mine) {
            try {
                adoptOrphan(clientId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Adopting session %s of the departed member %s failed; its client resumes it from the"
                        + " replica", clientId, memberId);
            }
        }
        return true;
    }

    /**
     * A persistent session whose broker left, orphaned by this broker's {@link Orphan} run (exactly one survivor's run
     * changes a record): claimed if still orphaned, restored from its replica with its routes, its expiry and its will
     * armed, so messages keep being queued for it and the will is published once, by this broker, after its delay.
     */
    private void adoptOrphan(String clientId) {
        Ownership claimant = new Ownership(incarnation, member.nodeId(), member.currentMemberId(), 0, null, true);
        Claim.Result claim;
        try {
            claim = owners.submitToKey(clientId, new Claim(claimant, false, true)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("Adopting session %s: the claim failed (%s); its client resumes it from the replica", clientId,
                    e.toString());
            return;
        }
        Ownership previous = claim.previous();
        if (!claim.claimed() || previous == null || !previous.orphaned()) {
            return; // its client reconnected somewhere first
        }
        long epoch = claim.current().epoch();
        held.put(clientId, new Holding(epoch, null));
        byte[] bytes;
        try {
            bytes = replication.promote(clientId, previous, epoch).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            bytes = null;
            LOG.warnf("Adopting session %s: its replica could not be taken (%s)", clientId, e.toString());
        }
        SessionState state;
        try {
            state = bytes == null ? null : SessionSnapshot.decode(bytes);
        } catch (IOException e) {
            state = null;
        }
        if (state == null) {
            Holding holding = held.remove(clientId);
            owners.submitToKey(clientId, new Release(incarnation, epoch));
            LOG.debugf("Session %s: no replica to adopt (holding %s)", clientId, holding);
            return;
        }
        Session session = local.adopt(state);
        held.computeIfPresent(clientId, (id, h) -> h.epoch() == epoch ? new Holding(epoch, session) : h);
        state.subscriptions().forEach((topic, options) -> routes.subscribe(session, topic, options));
        session.journalWholeState(); // this broker's log and the replica follow it from here
        offline.adopted(session, state);
        LOG.debugf("Session %s adopted from its replica (epoch %d, %d queued, %d in flight, will: %s)", clientId, epoch,
                state.queue().size(), state.inflight().size(), state.will() != null);
    }

    /** Where adopted and handed-over sessions' expiry and wills are handled (set once, before the listeners open). */
    public void offlineSessions(OfflineSessionEvents handler) {
        this.offline = handler;
    }

    /** After a split healed: every client id held here is checked against the map, and re-claimed if nobody has it. */
    private void recheckAll() {
        List<Map.Entry<String, Holding>> all = new ArrayList<>(held.entrySet());
        LOG.infof("Cluster merged after a split: checking the ownership of %d session(s) held here", all.size());
        for (Map.Entry<String, Holding> entry : all) {
            String clientId = entry.getKey();
            try {
                Ownership record = owners.get(clientId);
                if (record != null && !record.incarnation().equals(incarnation)) {
                    fence(clientId, entry.getValue(), record);
                } else if (record == null || record.orphaned()) {
                    claimIfFree(clientId, entry.getValue().session());
                }
            } catch (RuntimeException e) {
                LOG.warnf("Checking the ownership of session %s after a merge: %s", clientId, e.toString());
            }
        }
    }

    /** Claims a session this broker has without a CONNECT (restored from disk, or after a merge) unless taken. */
    private void claimIfFree(String clientId, Session session) {
        if (session == null) {
            return;
        }
        Ownership claimant = new Ownership(incarnation, member.nodeId(), member.currentMemberId(), 0,
                session.owner(), session.expiryIntervalSeconds() > 0);
        owners.submitToKey(clientId, new Claim(claimant, false, true)).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.debugf("Claiming restored session %s: %s (a later claim elsewhere fences it)", clientId,
                        failure.toString());
                return;
            }
            Holding holding = held.get(clientId);
            if (holding == null || holding.session() != session) {
                return;
            }
            if (result.claimed()) {
                long epoch = result.current().epoch();
                if (held.replace(clientId, holding, new Holding(epoch, session)) && replication != null) {
                    SessionState state = session.state(System.currentTimeMillis());
                    if (state != null && state.expiryIntervalSeconds() > 0) {
                        replication.reset(clientId, epoch, state); // the replica follows this broker's copy now
                    }
                }
            } else {
                fence(clientId, holding, result.previous());
            }
        });
    }

    private final class Listener implements EntryAddedListener<String, Ownership>,
            EntryUpdatedListener<String, Ownership> {

        @Override
        public void entryAdded(EntryEvent<String, Ownership> event) {
            changed(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, Ownership> event) {
            changed(event.getKey(), event.getValue());
        }

        private void changed(String clientId, Ownership record) {
            check(clientId, record);
        }
    }

    // ---- the rest, as on one broker --------------------------------------------------------------------------------

    @Override
    public boolean detach(Session session, SessionListener connection) {
        return local.detach(session, connection);
    }

    @Override
    public boolean endIfIdle(Session session) {
        if (!local.endIfIdle(session)) {
            return false;
        }
        Holding[] released = new Holding[1];
        held.computeIfPresent(session.clientId(), (id, h) -> {
            if (h.session() == session) {
                released[0] = h;
                return null;
            }
            return h;
        });
        if (released[0] != null) {
            try {
                owners.submitToKey(session.clientId(), new Release(incarnation, released[0].epoch()))
                        .exceptionally(failure -> {
                            LOG.debugf("Releasing session %s: %s", session.clientId(), failure.toString());
                            return false;
                        });
            } catch (RuntimeException e) {
                LOG.debugf("Releasing session %s: %s", session.clientId(), e.toString());
            }
        }
        return true;
    }

    @Override
    public Session restore(SessionState state) {
        Session session = local.restore(state);
        held.put(session.clientId(), new Holding(0, session));
        later(() -> claimIfFree(session.clientId(), session), 0);
        return session;
    }

    @Override
    public Session get(String clientId) {
        return local.get(clientId);
    }

    @Override
    public int size() {
        return local.size();
    }

    @Override
    public Collection<Session> all() {
        return local.all();
    }

    @Override
    public SessionListener connectionOf(Session session) {
        return local.connectionOf(session);
    }

    /** Client ids this broker holds a claim for (tests, metrics). */
    public int held() {
        return held.size();
    }

    /** The epoch of this broker's claim of {@code clientId}, or -1 when it holds none. */
    public long epochOf(String clientId) {
        Holding holding = held.get(clientId);
        return holding == null ? -1 : holding.epoch();
    }

    /** Runs on this directory's own thread (Hazelcast calls that may block, delayed checks); not after close. */
    private void later(Runnable task, long delayMillis) {
        try {
            lane.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Session directory closed: a cluster event is ignored");
        }
    }

    /** Stops following the ownership map; the records stay (the survivors orphan them when this member leaves). */
    @Override
    public void close() {
        try {
            if (member.isRunning()) {
                owners.removeEntryListener(listenerId);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Removing the ownership listener: %s", e.toString());
        }
        lane.shutdownNow();
    }
}
