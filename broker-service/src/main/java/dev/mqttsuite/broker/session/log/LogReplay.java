package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the persistent sessions from a snapshot and the log records after it. Records are applied in log order;
 * each one sets or removes a key, so records whose effect the snapshot already holds change nothing.
 */
final class LogReplay {

    /** A session being rebuilt. */
    private static final class Replayed {
        long expiry;
        /** When the connection went away; 0 while one was attached (a crash ended it). */
        long detachedAt;
        final Map<SubscriptionTopic, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
        /** By journal id, in queue order. */
        final LinkedHashMap<Long, Entry> deliveries = new LinkedHashMap<>();
        final Set<Integer> inboundQos2 = new HashSet<>();
        int nextPacketId = 1;
        StoredWill will;
        String owner;
    }

    private static final class Entry {
        final Message message;
        final int qos;
        final boolean retain;
        final int[] ids;
        int packetId;
        boolean released;

        Entry(Message message, int qos, boolean retain, int[] ids) {
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.ids = ids;
        }
    }

    private final Map<String, Replayed> sessions = new HashMap<>();
    private long records;

    /** Starts from the sessions of a snapshot. */
    void load(List<SessionState> states) {
        for (SessionState state : states) {
            Replayed r = new Replayed();
            r.expiry = state.expiryIntervalSeconds();
            r.detachedAt = state.detachedAtMillis();
            r.subscriptions.putAll(state.subscriptions());
            for (Delivery d : state.inflight()) {
                add(r, d);
            }
            for (Delivery d : state.queue()) {
                add(r, d);
            }
            r.inboundQos2.addAll(state.inboundQos2());
            r.nextPacketId = state.nextPacketId();
            r.will = state.will();
            r.owner = state.owner();
            sessions.put(state.clientId(), r);
        }
    }

    private static void add(Replayed r, Delivery d) {
        if (d.journalId() == 0) {
            return; // QoS 0 kept for an offline session: not in the journal's care
        }
        Entry e = new Entry(d.message(), d.qos(), d.retain(), d.subscriptionIds());
        e.packetId = d.packetId();
        e.released = d.released();
        r.deliveries.put(d.journalId(), e);
    }

    void apply(LogRecord record) {
        records++;
        if (record instanceof LogRecord.Opened o) {
            Replayed r = new Replayed();
            r.expiry = o.expiryIntervalSeconds();
            r.owner = o.owner();
            sessions.put(o.clientId(), r);
            return;
        }
        Replayed r = sessions.get(record.clientId());
        if (r == null) {
            return; // a session that ended, or whose Opened is before the snapshot that no longer has it
        }
        switch (record) {
            case LogRecord.Attached a -> {
                r.expiry = a.expiryIntervalSeconds();
                r.detachedAt = 0;
            }
            case LogRecord.Detached d -> {
                r.expiry = d.expiryIntervalSeconds();
                r.detachedAt = d.atMillis();
            }
            case LogRecord.Ended e -> sessions.remove(e.clientId());
            case LogRecord.Subscribed s -> r.subscriptions.put(s.topic(), s.options());
            case LogRecord.Unsubscribed u -> r.subscriptions.remove(u.topic());
            case LogRecord.Queued q -> r.deliveries.putIfAbsent(q.id(),
                    new Entry(q.message(), q.qos(), q.retain(), q.subscriptionIds()));
            case LogRecord.Sent s -> {
                Entry e = r.deliveries.get(s.id());
                if (e != null) {
                    e.packetId = s.packetId();
                    r.nextPacketId = s.packetId() == 65535 ? 1 : s.packetId() + 1;
                }
            }
            case LogRecord.Released rel -> {
                Entry e = r.deliveries.get(rel.id());
                if (e != null) {
                    e.released = true;
                }
            }
            case LogRecord.Completed c -> r.deliveries.remove(c.id());
            case LogRecord.InboundStarted i -> r.inboundQos2.add(i.packetId());
            case LogRecord.InboundReleased i -> r.inboundQos2.remove(i.packetId());
            case LogRecord.WillSet w -> r.will = w.will();
            case LogRecord.Opened o -> throw new AssertionError(o);
        }
    }

    long records() {
        return records;
    }

    /**
     * The sessions as they were when the log ends. A session whose connection was attached gets
     * {@code crashedAtMillis} as the moment it went away.
     */
    List<SessionState> states(long crashedAtMillis) {
        List<SessionState> out = new ArrayList<>(sessions.size());
        sessions.forEach((clientId, r) -> {
            List<Delivery> inflight = new ArrayList<>();
            List<Delivery> queue = new ArrayList<>();
            r.deliveries.forEach((id, e) -> {
                Delivery d = Delivery.recovered(e.message, e.qos, e.retain, e.ids, id, e.packetId, e.released);
                (e.packetId != 0 ? inflight : queue).add(d);
            });
            out.add(new SessionState(clientId, r.expiry, r.detachedAt == 0 ? crashedAtMillis : r.detachedAt,
                    r.subscriptions, inflight, queue, r.inboundQos2, r.nextPacketId, r.will, r.owner));
        });
        return out;
    }

    /** Whether the records left a session of this client id (it opened and did not end). */
    boolean has(String clientId) {
        return sessions.containsKey(clientId);
    }

    /** Whether a session's connection was attached when the log ends (its will is due). */
    boolean wasAttached(String clientId) {
        Replayed r = sessions.get(clientId);
        return r != null && r.detachedAt == 0;
    }
}
