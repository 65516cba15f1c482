package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.subscribe.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All sessions of this broker by client id. Creation, resumption and takeover for one client id are atomic
 * ({@link ConcurrentHashMap#compute}); everything else is per-session.
 */
public final class SessionRegistry {

    /** The outcome of CONNECT for the session layer. */
    public record Attach(Session session, boolean sessionPresent, SessionListener previousConnection) {
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SubscriptionIndex<Session, SubscriptionOptions> index;
    private final SessionLimits limits;
    private final BrokerMetrics metrics;
    private final Consumer<Delivery> orphanHandler;
    private final ConcurrentHashMap<Session, SessionListener> attached = new ConcurrentHashMap<>();

    /**
     * @param orphanHandler receives deliveries of an ended session that came through a shared subscription, to give
     *     them to another member
     */
    public SessionRegistry(SubscriptionIndex<Session, SubscriptionOptions> index, SessionLimits limits,
            BrokerMetrics metrics, Consumer<Delivery> orphanHandler) {
        this.index = index;
        this.limits = limits;
        this.metrics = metrics;
        this.orphanHandler = orphanHandler;
    }

    /**
     * Finds or creates the session for a CONNECT and attaches the connection. With Clean Start (3.1.1: Clean Session)
     * any existing session is discarded [MQTT-3.1.2-4]; otherwise it resumes [MQTT-3.1.2-5]. An existing connection
     * with the same client id is returned for the caller to close with 0x8E [MQTT-3.1.4-3].
     */
    public Attach attach(String clientId, boolean cleanStart, SessionListener connection, long expiryInterval) {
        Attach[] outcome = new Attach[1];
        List<Session> ended = new ArrayList<>(1);
        sessions.compute(clientId, (id, existing) -> {
            SessionListener previous = existing == null ? null : attached.get(existing);
            Session target;
            boolean present;
            if (existing == null || existing.isEnded() || cleanStart) {
                if (existing != null && !existing.isEnded()) {
                    ended.add(existing);
                }
                target = new Session(id, limits, metrics);
                present = false;
            } else {
                target = existing;
                present = true;
            }
            if (existing != null) {
                attached.remove(existing, previous);
            }
            target.attach(connection, expiryInterval);
            attached.put(target, connection);
            outcome[0] = new Attach(target, present, previous);
            return target;
        });
        for (Session old : ended) {
            discard(old);
        }
        return outcome[0];
    }

    /** The connection closed; returns true if the session was still attached to it. */
    public boolean detach(Session session, SessionListener connection) {
        attached.remove(session, connection);
        return session.detach(connection);
    }

    /** Ends a session if it is still the registered one for its client id and not connected (expiry, clean exit). */
    public boolean endIfIdle(Session session) {
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && !session.isConnected()) {
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
        for (SubscriptionTopic topic : session.subscriptions().keySet()) {
            index.unsubscribe(session, topic);
        }
        for (Delivery orphan : session.end()) {
            orphanHandler.accept(orphan);
        }
    }

    /** Adds a session restored from a snapshot (before the listeners start) and indexes its subscriptions. */
    public Session restore(Session.State state) {
        Session session = Session.restore(state, limits, metrics);
        sessions.put(session.clientId(), session);
        session.subscriptions().forEach((topic, options) -> index.subscribe(session, topic, options));
        return session;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public SessionListener connectionOf(Session session) {
        return attached.get(session);
    }
}
