package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.metrics.BrokerMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * All sessions of this broker by client id: the single-node {@link SessionDirectory}. Creation, resumption and
 * takeover for one client id are atomic ({@link ConcurrentHashMap#compute}); everything else is per-session.
 */
public final class LocalSessionDirectory implements SessionDirectory {

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SessionLimits limits;
    private final BrokerMetrics metrics;
    private final SessionJournal journal;
    private final Consumer<Session> onEnd;
    private final Consumer<Delivery> orphanHandler;
    private final boolean refuseForeign;
    private final ConcurrentHashMap<Session, SessionListener> attached = new ConcurrentHashMap<>();
    /**
     * The same sessions in client id order, for paged listings (the admin API). Updated only when a session begins or
     * ends (O(log n)), never per message; a session is removed only if it is still the one listed for its client id.
     */
    private final ConcurrentSkipListMap<String, Session> ordered = new ConcurrentSkipListMap<>();

    /**
     * @param onEnd runs when a session ends, before its state is cleared (removes its routes)
     * @param orphanHandler receives deliveries of an ended session that came through a shared subscription, to give
     *     them to another member
     */
    public LocalSessionDirectory(SessionLimits limits, BrokerMetrics metrics, SessionJournal journal,
            Consumer<Session> onEnd, Consumer<Delivery> orphanHandler) {
        this(limits, metrics, journal, onEnd, orphanHandler, true);
    }

    /**
     * @param refuseForeign whether a CONNECT with the client id of another user's session is refused (otherwise that
     *     user gets a fresh session and the other user's session ends)
     */
    public LocalSessionDirectory(SessionLimits limits, BrokerMetrics metrics, SessionJournal journal,
            Consumer<Session> onEnd, Consumer<Delivery> orphanHandler, boolean refuseForeign) {
        this.refuseForeign = refuseForeign;
        this.limits = limits;
        this.metrics = metrics;
        this.journal = journal;
        this.onEnd = onEnd;
        this.orphanHandler = orphanHandler;
    }

    /** Whether another user's CONNECT with the client id of a session is refused ({@link ForeignSession}). */
    public boolean refusesForeign() {
        return refuseForeign;
    }

    @Override
    public CompletionStage<Attach> attach(String clientId, boolean cleanStart, SessionListener connection,
            long expiryInterval, String principal) {
        Attach[] outcome = new Attach[1];
        List<Session> ended = new ArrayList<>(1);
        boolean[] foreign = new boolean[1];
        sessions.compute(clientId, (id, existing) -> {
            boolean othersSession = existing != null && !existing.isEnded() && !existing.ownedBy(principal);
            if (othersSession && refuseForeign) {
                foreign[0] = true;
                return existing; // untouched: neither resumed nor taken over
            }
            SessionListener previous = existing == null ? null : attached.get(existing);
            Session target;
            boolean present;
            if (existing == null || existing.isEnded() || cleanStart || othersSession) {
                if (existing != null && !existing.isEnded()) {
                    existing.retire(); // its end is journaled before the new session's start
                    ended.add(existing);
                }
                target = new Session(id, limits, metrics, journal, principal);
                ordered.put(id, target);
                present = false;
            } else {
                target = existing;
                present = true;
            }
            if (existing != null) {
                attached.remove(existing, previous);
            }
            target.attach(connection, expiryInterval, principal);
            attached.put(target, connection);
            outcome[0] = new Attach(target, present, previous);
            return target;
        });
        if (foreign[0]) {
            return CompletableFuture.failedFuture(new ForeignSession(clientId));
        }
        for (Session old : ended) {
            discard(old);
        }
        return CompletableFuture.completedFuture(outcome[0]);
    }

    @Override
    public boolean detach(Session session, SessionListener connection) {
        attached.remove(session, connection);
        return session.detach(connection);
    }

    @Override
    public boolean endIfIdle(Session session) {
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && !session.isConnected()) {
                session.retire();
                removed[0] = true;
                return null;
            }
            return current;
        });
        if (removed[0]) {
            discard(session);
        }
        return removed[0];
    }

    private void discard(Session session) {
        ordered.remove(session.clientId(), session);
        onEnd.accept(session);
        for (Delivery orphan : session.end()) {
            orphanHandler.accept(orphan);
        }
    }

    @Override
    public Session restore(SessionState state) {
        Session session = Session.restore(state, limits, metrics, journal);
        sessions.put(session.clientId(), session);
        ordered.put(session.clientId(), session);
        return session;
    }

    /**
     * Adds a session another broker handed over (its journal records it when a connection attaches); a copy of the
     * same client id held here is ended first (it is stale: the other broker owned the session).
     */
    public Session adopt(SessionState state) {
        Session session = Session.adopt(state, limits, metrics, journal);
        Session[] replaced = new Session[1];
        sessions.compute(session.clientId(), (id, existing) -> {
            if (existing != null && !existing.isEnded()) {
                existing.retire();
                attached.remove(existing);
                replaced[0] = existing;
            }
            ordered.put(id, session);
            return session;
        });
        if (replaced[0] != null) {
            discard(replaced[0]);
        }
        return session;
    }

    /**
     * Ends a session that moves to another broker and returns its state ({@link Session#handOver}); null when it is
     * no longer the registered one or still connected (the caller detaches the connection first).
     */
    public SessionState handOver(Session session, long nowMillis, boolean moved) {
        SessionState[] state = new SessionState[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current != session || session.isConnected()) {
                return current;
            }
            state[0] = session.handOver(nowMillis, moved); // journals its end (retires it) under its lock
            return null;
        });
        if (state[0] != null) {
            ordered.remove(session.clientId(), session);
            onEnd.accept(session); // its routes leave this broker
        }
        return state[0];
    }

    @Override
    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    @Override
    public int size() {
        return sessions.size();
    }

    @Override
    public Collection<Session> all() {
        return sessions.values();
    }

    /** The sessions in client id order (a live, read-only view: iterating it never blocks the directory). */
    public NavigableMap<String, Session> byClientId() {
        return java.util.Collections.unmodifiableNavigableMap(ordered);
    }

    @Override
    public SessionListener connectionOf(Session session) {
        return attached.get(session);
    }
}
