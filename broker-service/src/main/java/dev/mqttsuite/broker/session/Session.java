package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.jboss.logging.Logger;

/**
 * The server side of an MQTT session (MQTT 5.0 section 4.1): subscriptions, queued and inflight outbound messages,
 * inbound QoS 2 state, expiry. It outlives connections when the Session Expiry Interval is above zero.
 *
 * <p>Concurrency (docs/adr/0004-broker-threading.md): every method that touches state is {@code synchronized} on the
 * session. The attached connection's event loop does almost all of the work (drain, acknowledgements); publishers on
 * other loops only enqueue. Writes to the socket happen on the attached connection's loop only.
 */
public final class Session {

    private static final Logger LOG = Logger.getLogger(Session.class);

    private final String clientId;
    private final SessionLimits limits;
    private final BrokerMetrics metrics;
    private final SessionJournal journal;

    // All fields below are guarded by 'this'.
    private SessionListener connection;
    private long expiryIntervalSeconds;
    private final Map<SubscriptionTopic, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
    private final SessionQueue queue = new SessionQueue();
    private final Inflight inflight = new Inflight();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private boolean drainScheduled;
    private boolean dropLogged;
    private boolean ended;
    private final PausedPublishers paused = new PausedPublishers();
    /** Permissions that apply while no connection is attached (queued messages for an offline session). */
    private volatile Permissions offlinePermissions = Permissions.ALL;
    /** Cancels a pending expiry timer when the client comes back. */
    private Runnable pendingTimerCancel;
    /** When the last connection went away (wall clock), for the expiry left after a restart. */
    private long detachedAtMillis;

    public Session(String clientId, SessionLimits limits, BrokerMetrics metrics) {
        this(clientId, limits, metrics, SessionJournal.IN_MEMORY);
    }

    public Session(String clientId, SessionLimits limits, BrokerMetrics metrics, SessionJournal journal) {
        this.clientId = clientId;
        this.limits = limits;
        this.metrics = metrics;
        this.journal = journal;
    }

    public String clientId() {
        return clientId;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Attaches a connection; cancels a pending expiry timer. */
    public synchronized void attach(SessionListener listener, long expiryInterval) {
        this.connection = listener;
        this.expiryIntervalSeconds = expiryInterval;
        this.drainScheduled = false;
        if (pendingTimerCancel != null) {
            pendingTimerCancel.run();
            pendingTimerCancel = null;
        }
    }

    /** Detaches {@code listener} if it is still the attached one; returns whether it was. */
    public synchronized boolean detach(SessionListener listener) {
        if (connection != listener) {
            return false;
        }
        connection = null;
        detachedAtMillis = System.currentTimeMillis();
        paused.resumeAll();
        if (!limits.queueQos0Offline()) { // QoS 0 is not kept for an offline session unless configured
            queue.removeIf(d -> d.qos == 0).forEach(d -> metrics.dropped(DropReason.QOS0_OFFLINE));
        }
        return true;
    }

    public synchronized boolean isConnected() {
        return connection != null;
    }

    public synchronized long expiryIntervalSeconds() {
        return expiryIntervalSeconds;
    }

    /**
     * The interval a DISCONNECT set, already checked and bounded by {@link SessionExpiry#atDisconnect}; the snapshot
     * and the expiry timer use it.
     */
    public synchronized void expiryIntervalSeconds(long seconds) {
        this.expiryIntervalSeconds = seconds;
    }

    /** The permissions of the last connection, kept for deliveries queued while offline. */
    public Permissions offlinePermissions() {
        return offlinePermissions;
    }

    public void offlinePermissions(Permissions permissions) {
        this.offlinePermissions = permissions;
    }

    public synchronized void pendingTimer(Runnable cancel) {
        this.pendingTimerCancel = cancel;
    }

    /** Marks the session ended: it accepts no more messages. Returns deliveries that must go elsewhere. */
    public synchronized List<Delivery> end() {
        ended = true;
        List<Delivery> orphans = takeSharedDeliveries();
        queue.clear();
        inflight.clear();
        inboundQos2.clear();
        paused.resumeAll();
        if (pendingTimerCancel != null) {
            pendingTimerCancel.run();
            pendingTimerCancel = null;
        }
        return orphans;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /**
     * Removes queued and unacknowledged deliveries that came through a shared subscription, so that another member
     * can get them when this member's connection breaks (MQTT 5.0 section 4.8.2).
     */
    public synchronized List<Delivery> takeSharedDeliveries() {
        List<Delivery> out = queue.removeIf(d -> d.sharedGroup != null);
        out.addAll(inflight.takeUnreleasedShared());
        return out;
    }

    // ---- subscriptions -----------------------------------------------------------------------------------------

    /** Records a subscription; returns the previous options or null. */
    public synchronized SubscriptionOptions putSubscription(SubscriptionTopic topic, SubscriptionOptions options) {
        return subscriptions.put(topic, options);
    }

    public synchronized boolean canAddSubscription(SubscriptionTopic topic) {
        return subscriptions.containsKey(topic) || subscriptions.size() < limits.maxSubscriptions();
    }

    public synchronized SubscriptionOptions removeSubscription(SubscriptionTopic topic) {
        return subscriptions.remove(topic);
    }

    public synchronized Map<SubscriptionTopic, SubscriptionOptions> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    // ---- outbound ----------------------------------------------------------------------------------------------

    /**
     * Queues a delivery. Called by the routing publisher on its own event loop. When the subscriber is online but its
     * queue is above the high watermark, the publisher's socket is paused until the queue drains (TCP back-pressure,
     * nothing dropped). A full queue (count or bytes) drops the delivery, counted and logged once per session.
     *
     * @param publisher the publishing connection (paused under back-pressure), or null for broker-generated messages
     * @return false when the delivery was dropped
     */
    public synchronized boolean enqueue(Delivery delivery, SessionListener publisher) {
        if (ended) {
            return false;
        }
        if (connection == null && delivery.qos == 0 && !limits.queueQos0Offline()) {
            metrics.dropped(DropReason.QOS0_OFFLINE);
            return false;
        }
        long size = delivery.size();
        if (queue.size() >= limits.maxQueuedMessages() || queue.bytes() + size > limits.maxQueuedBytes()) {
            metrics.dropped(DropReason.QUEUE_FULL);
            if (!dropLogged) {
                dropLogged = true;
                LOG.warnf("Session %s: queue full (%d messages, %d bytes; limits broker.session.max-queued-messages=%d,"
                        + " max-queued-bytes=%d): dropping messages (logged once per session, counted in"
                        + " mqtt_messages_dropped_total{reason=\"queue_full\"})", clientId, queue.size(), queue.bytes(),
                        limits.maxQueuedMessages(), limits.maxQueuedBytes());
            }
            return false;
        }
        queue.add(delivery);
        if (delivery.qos > 0 && expiryIntervalSeconds > 0) {
            journal.queued(this, delivery);
        }
        if (connection != null) {
            if (queue.size() >= limits.highWatermark() && publisher != null && publisher != connection
                    && paused.pause(publisher)) {
                metrics.backpressurePause();
            }
            scheduleDrain();
        }
        return true;
    }

    private void scheduleDrain() {
        if (!drainScheduled && connection != null) {
            drainScheduled = true;
            SessionListener target = connection;
            target.runOnLoop(() -> drain(target));
        }
    }

    /** Sends queued deliveries while the client's window and the socket allow. Runs on the connection's loop. */
    public synchronized void drain(SessionListener listener) {
        if (connection != listener) {
            return;
        }
        drainScheduled = false;
        long now = System.currentTimeMillis();
        while (!queue.isEmpty()) {
            if (listener.writeQueueFull()) {
                break; // the connection calls drain again when writable
            }
            Delivery next = queue.peek();
            if (next.qos > 0 && inflight.size() >= listener.clientReceiveMaximum()) {
                break; // resumed by an acknowledgement [MQTT-4.9.0-2]
            }
            queue.poll();
            if (next.message.isExpired(now)) {
                metrics.dropped(DropReason.EXPIRED); // [MQTT-3.3.2-5]
                continue;
            }
            if (next.qos > 0) {
                inflight.add(next);
            }
            if (!listener.sendPublish(next, now)) {
                if (next.qos > 0) {
                    inflight.remove(next.packetId);
                }
                metrics.dropped(DropReason.TOO_LARGE_FOR_CLIENT); // [MQTT-3.1.2-25]
                continue;
            }
            next.sent = true;
        }
        if (queue.size() <= limits.lowWatermark()) {
            paused.queueLow(listener);
        }
    }

    /**
     * Runs {@code task} once the queue is at or below the low watermark: at once if it already is, otherwise from the
     * drain that gets it there. Used to pace retained-message streams.
     */
    public void whenQueueLow(Runnable task) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (queue.size() > limits.lowWatermark() || connection == null) {
                paused.whenLow(task);
                return;
            }
        }
        task.run();
    }

    /**
     * Resends unacknowledged messages after the session resumed on a new connection [MQTT-4.4.0-1]: PUBLISH with
     * DUP=1 for those not yet acknowledged, PUBREL for QoS 2 messages whose PUBREC arrived. Then drains the queue.
     */
    public synchronized void resume(SessionListener listener) {
        if (connection != listener) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Delivery d : inflight.all()) {
            if (d.released) {
                listener.sendPubrel(d.packetId);
            } else {
                listener.sendPublish(d, now);
            }
        }
        drain(listener);
    }

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2) arrived: frees the packet id and the window slot. */
    public synchronized Delivery complete(SessionListener listener, int packetId) {
        Delivery done = inflight.remove(packetId);
        if (done != null) {
            journal.completed(this, done);
            if (connection == listener) {
                drain(listener);
            }
        }
        return done;
    }

    /** PUBREC arrived: returns true if the PUBREL should be sent (the packet id was inflight). */
    public synchronized boolean received(int packetId, boolean error) {
        Delivery d = inflight.get(packetId);
        if (d == null || d.qos != 2) {
            return false;
        }
        if (error) {
            inflight.remove(packetId); // a PUBREC >= 0x80 ends the exchange [MQTT-4.3.3]
            journal.completed(this, d);
            return false;
        }
        d.released = true;
        return true;
    }

    // ---- inbound QoS 2 -----------------------------------------------------------------------------------------

    /** Records an inbound QoS 2 packet id; false if it is already awaiting PUBREL (a resent duplicate). */
    public synchronized boolean startInboundQos2(int packetId) {
        return inboundQos2.add(packetId);
    }

    /** PUBREL arrived: false if the id was unknown (MQTT 5: PUBCOMP 0x92). */
    public synchronized boolean releaseInboundQos2(int packetId) {
        return inboundQos2.remove(packetId);
    }

    // ---- persistence ------------------------------------------------------------------------------------------

    /** The session's state for a snapshot; null when it ended. */
    public synchronized SessionState state(long nowMillis) {
        if (ended) {
            return null;
        }
        return new SessionState(clientId, expiryIntervalSeconds, connection == null ? detachedAtMillis : nowMillis,
                new LinkedHashMap<>(subscriptions), new ArrayList<>(inflight.all()), queue.snapshot(),
                new HashSet<>(inboundQos2), inflight.nextPacketId());
    }

    /** A session as it was saved: offline, with its subscriptions, unacknowledged and queued messages. */
    public static Session restore(SessionState state, SessionLimits limits, BrokerMetrics metrics,
            SessionJournal journal) {
        Session s = new Session(state.clientId(), limits, metrics, journal);
        synchronized (s) {
            s.expiryIntervalSeconds = state.expiryIntervalSeconds();
            s.detachedAtMillis = state.detachedAtMillis();
            s.subscriptions.putAll(state.subscriptions());
            for (Delivery d : state.inflight()) {
                s.inflight.restore(d);
            }
            for (Delivery d : state.queue()) {
                s.queue.add(d);
            }
            s.inboundQos2.addAll(state.inboundQos2());
            s.inflight.nextPacketId(state.nextPacketId());
        }
        return s;
    }

    // ---- introspection -----------------------------------------------------------------------------------------

    public synchronized int queuedMessages() {
        return queue.size();
    }

    public synchronized int inflightMessages() {
        return inflight.size();
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
