package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>Durability (docs/adr/0010): while the session outlives its connection (Session Expiry Interval above zero) every
 * change is handed to the {@link SessionJournal} under the session's lock, so the journal sees one session's changes
 * in order. QoS 2 packets whose loss after a crash would duplicate a message (the first PUBLISH under a packet
 * identifier, PUBREL, and the inbound PUBREC/PUBCOMP) leave only once their record is durable.
 *
 * <p>Concurrency (docs/adr/0004-broker-threading.md): every method that touches state is {@code synchronized} on the
 * session. The attached connection's event loop does almost all of the work (drain, acknowledgements); publishers on
 * other loops only enqueue. Writes to the socket happen on the attached connection's loop only.
 */
public final class Session {

    private static final Logger LOG = Logger.getLogger(Session.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** At most this many PUBLISHes wait together for the journal before they are written. */
    private static final int MAX_DEFERRED = 256;

    /** What became of a delivery offered to the session. */
    public enum Enqueued {
        QUEUED,
        /** Queued, and recorded in the session journal: the acknowledgement waits for its barrier. */
        JOURNALED,
        /** Dropped (queue full under drop-new, QoS 0 for an offline session, session ended); counted. */
        DROPPED,
        /** Not queued because the queue is full and the policy is refuse. */
        FULL,
        /** Not queued because the journal refuses QoS 1/2 messages now ({@link SessionJournal#refusal}). */
        NOT_DURABLE
    }

    private final String clientId;
    /** The principal of the user that created the session; null until a user claims it (a legacy snapshot). */
    private String owner;
    private final SessionLimits limits;
    private final BrokerMetrics metrics;
    private final SessionJournal journal;

    // All fields below are guarded by 'this'.
    private SessionListener connection;
    private long expiryIntervalSeconds;
    private final Map<SubscriptionTopic, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
    private final SessionQueue queue;
    private final Inflight inflight = new Inflight();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    /**
     * Inbound QoS 2 ids whose message is still being routed: not in snapshots or replicas yet, so a recorded id always
     * comes with the deliveries of its message (else a crash would make the resend look like a duplicate: lost).
     */
    private final Set<Integer> inboundRouting = new HashSet<>();
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
    /** Whether the journal has this session's state (it outlives its connection). */
    private boolean logged;
    private long nextJournalId = 1;
    /** Messages this session lost to its queue limits, for metrics and $SYS. */
    private long droppedMessages;
    /** The will to publish if the connection dies with the broker (kept in the journal). */
    private StoredWill will;

    public Session(String clientId, SessionLimits limits, BrokerMetrics metrics) {
        this(clientId, limits, metrics, SessionJournal.IN_MEMORY);
    }

    public Session(String clientId, SessionLimits limits, BrokerMetrics metrics, SessionJournal journal) {
        this(clientId, limits, metrics, journal, null);
    }

    public Session(String clientId, SessionLimits limits, BrokerMetrics metrics, SessionJournal journal,
            String owner) {
        this.owner = owner;
        this.clientId = clientId;
        this.limits = limits;
        this.metrics = metrics;
        this.journal = journal;
        this.queue = new SessionQueue(limits.total());
    }

    public String clientId() {
        return clientId;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Whether {@code principal} may resume this session: the user that created it, or anyone for an unowned one. */
    public synchronized boolean ownedBy(String principal) {
        return owner == null || owner.equals(principal);
    }

    public synchronized String owner() {
        return owner;
    }

    /** Attaches a connection of the session's owner (tests, restored sessions). */
    public void attach(SessionListener listener, long expiryInterval) {
        attach(listener, expiryInterval, null);
    }

    /**
     * Attaches a connection of {@code principal}; cancels a pending expiry timer. An unowned session (from a legacy
     * snapshot) becomes the principal's.
     */
    public synchronized void attach(SessionListener listener, long expiryInterval, String principal) {
        if (owner == null && principal != null) {
            owner = principal;
            if (logged && expiryInterval > 0) {
                logged = false; // recorded again below, with its owner
            }
        }
        this.connection = listener;
        this.expiryIntervalSeconds = expiryInterval;
        this.drainScheduled = false;
        if (expiryInterval > 0 && !logged && !ended && journal.durable()) {
            logWholeState();
        }
        if (logged) {
            journal.attached(this, expiryInterval);
        }
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
        if (logged) {
            journal.detached(this, expiryIntervalSeconds, detachedAtMillis);
        }
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

    /**
     * The directory is replacing or removing this session (called inside its atomic update, before a new session for
     * the same client id can exist): the journal records the end now, and nothing of this session after it.
     */
    public synchronized void retire() {
        if (logged) {
            journal.ended(this);
            logged = false;
        }
    }

    /** Marks the session ended: it accepts no more messages. Returns deliveries that must go elsewhere. */
    public synchronized List<Delivery> end() {
        return end(false);
    }

    private List<Delivery> end(boolean handedOver) {
        ended = true;
        if (logged) {
            if (handedOver) {
                journal.handedOver(this);
            } else {
                journal.ended(this);
            }
            logged = false;
        }
        if (droppedMessages > 0 && metrics != null) {
            metrics.forgetSession(clientId);
        }
        List<Delivery> orphans = takeSharedDeliveries();
        queue.clear();
        inflight.clear();
        inboundQos2.clear();
        inboundRouting.clear();
        will = null;
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
        if (!ended) {
            out.forEach(this::journalCompleted); // each goes to another member, which records (and settles) it
        }
        return out;
    }

    // ---- subscriptions -----------------------------------------------------------------------------------------

    /** Records a subscription; returns the previous options or null. */
    public synchronized SubscriptionOptions putSubscription(SubscriptionTopic topic, SubscriptionOptions options) {
        if (logged) {
            journal.subscribed(this, topic, options);
        }
        return subscriptions.put(topic, options);
    }

    public synchronized boolean canAddSubscription(SubscriptionTopic topic) {
        return subscriptions.containsKey(topic) || subscriptions.size() < limits.maxSubscriptions();
    }

    public synchronized SubscriptionOptions removeSubscription(SubscriptionTopic topic) {
        SubscriptionOptions removed = subscriptions.remove(topic);
        if (removed != null && logged) {
            journal.unsubscribed(this, topic);
        }
        return removed;
    }

    public synchronized Map<SubscriptionTopic, SubscriptionOptions> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    // ---- outbound ----------------------------------------------------------------------------------------------

    /**
     * Queues a delivery. Called by the routing publisher on its own event loop. When the subscriber is online but its
     * queue is above the high watermark, the publisher's socket is paused until the queue drains (TCP back-pressure,
     * nothing dropped). A full queue (messages, bytes, or the broker-wide budget) applies the overflow policy
     * ({@link BrokerConfig.QueueOverflow}); every loss is counted, and logged once per session. A QoS 1/2 delivery to a
     * session that outlives its connection is recorded in the journal before the publisher is acknowledged.
     *
     * @param publisher the publishing connection (paused under back-pressure), or null for broker-generated messages
     */
    public synchronized Enqueued enqueue(Delivery delivery, SessionListener publisher) {
        if (ended) {
            return Enqueued.DROPPED;
        }
        if (connection == null && delivery.qos == 0 && !limits.queueQos0Offline()) {
            metrics.dropped(DropReason.QOS0_OFFLINE);
            return Enqueued.DROPPED;
        }
        boolean journaled = logged && delivery.qos > 0;
        if (journaled && journal.refusal() != null) {
            return Enqueued.NOT_DURABLE;
        }
        if (!queue.offer(delivery, limits.maxQueuedMessages(), limits.maxQueuedBytes())) {
            Enqueued overflow = overflow(delivery);
            if (overflow != Enqueued.QUEUED) {
                return overflow;
            }
        }
        if (journaled) {
            delivery.journalId = nextJournalId++;
            journal.queued(this, delivery);
            delivery.settle(); // the journal (and the replica, in a cluster) answers for it from here
        }
        Enqueued result = journaled ? Enqueued.JOURNALED : Enqueued.QUEUED;
        if (connection == null) {
            delivery.recheck = true; // routed with the last known permissions: checked again when sent
        }
        if (connection != null) {
            if (queue.size() >= limits.highWatermark() && publisher != null && publisher != connection
                    && paused.pause(publisher)) {
                metrics.backpressurePause();
            }
            scheduleDrain();
        }
        return result;
    }

    /** The queue is full: applies {@code broker.session.queue-overflow}; QUEUED when room was made. */
    private Enqueued overflow(Delivery delivery) {
        if (limits.overflow() == BrokerConfig.QueueOverflow.DROP_OLDEST) {
            while (!queue.isEmpty()) {
                Delivery oldest = queue.poll();
                finished(oldest);
                lost();
                if (queue.offer(delivery, limits.maxQueuedMessages(), limits.maxQueuedBytes())) {
                    return Enqueued.QUEUED;
                }
            }
        }
        lost();
        return limits.overflow() == BrokerConfig.QueueOverflow.REFUSE ? Enqueued.FULL : Enqueued.DROPPED;
    }

    private void lost() {
        metrics.dropped(DropReason.QUEUE_FULL);
        if (droppedMessages++ == 0) {
            metrics.droppedForSession(clientId, this::droppedMessages);
        }
        if (!dropLogged) {
            dropLogged = true;
            LOG.warnf("Session %s: queue full (%d messages, %d bytes; limits broker.session.max-queued-messages=%d,"
                    + " max-queued-bytes=%d, max-total-queued-bytes=%d in use %d): %s (logged once per session,"
                    + " counted in mqtt_messages_dropped_total{reason=\"queue_full\"} and"
                    + " mqtt_session_messages_dropped_total)", clientId, queue.size(), queue.bytes(),
                    limits.maxQueuedMessages(), limits.maxQueuedBytes(), limits.total().limit(),
                    limits.total().used(), switch (limits.overflow()) {
                        case DROP_NEW -> "dropping new messages";
                        case DROP_OLDEST -> "dropping the oldest queued messages";
                        case REFUSE -> "refusing new messages";
                    });
        }
    }

    /** Messages this session lost to its queue limits since it began. */
    public synchronized long droppedMessages() {
        return droppedMessages;
    }

    private void scheduleDrain() {
        if (!drainScheduled && connection != null) {
            drainScheduled = true;
            SessionListener target = connection;
            target.runOnLoop(() -> drain(target));
        }
    }

    /**
     * Sends queued deliveries while the client's window and the socket allow. Runs on the connection's loop. A QoS 2
     * delivery the journal has waits, with the deliveries behind it, until its packet identifier is durable: a
     * restart then resends it under the same identifier, so the client cannot take it for a new message.
     */
    public synchronized void drain(SessionListener listener) {
        if (connection != listener) {
            return;
        }
        drainScheduled = false;
        long now = System.currentTimeMillis();
        List<Delivery> deferred = null;
        while (!queue.isEmpty()) {
            if (listener.writeQueueFull() || deferred != null && deferred.size() >= MAX_DEFERRED) {
                break; // the connection calls drain again when writable
            }
            Delivery next = queue.peek();
            if (next.qos > 0 && inflight.size() >= listener.clientReceiveMaximum()) {
                break; // resumed by an acknowledgement [MQTT-4.9.0-2]
            }
            queue.poll();
            if (next.message.isExpired(now)) {
                metrics.dropped(DropReason.EXPIRED); // [MQTT-3.3.2-5]
                finished(next);
                continue;
            }
            if (next.recheck && !listener.deliveryPermissions().mayReceive(next.message.topic())) {
                metrics.dropped(DropReason.NOT_AUTHORIZED); // queued while offline; the user may not read it now
                finished(next);
                continue;
            }
            if (next.qos > 0) {
                inflight.add(next);
                if (next.journalId != 0) {
                    journal.sent(this, next);
                }
            }
            if (deferred == null && next.qos == 2 && next.journalId != 0 && journal.durable()) {
                deferred = new ArrayList<>();
            }
            if (deferred != null) {
                deferred.add(next);
            } else {
                send(listener, next, now);
            }
        }
        if (deferred != null) {
            List<Delivery> batch = deferred;
            journal.barrier().whenComplete((ok, failure) -> listener.runOnLoop(() -> sendDeferred(listener, batch)));
        } else if (queue.size() <= limits.lowWatermark()) {
            paused.queueLow(listener);
        }
    }

    private boolean send(SessionListener listener, Delivery delivery, long now) {
        if (!listener.sendPublish(delivery, now)) {
            if (delivery.qos > 0) {
                inflight.remove(delivery.packetId);
            }
            metrics.dropped(DropReason.TOO_LARGE_FOR_CLIENT); // [MQTT-3.1.2-25]
            finished(delivery);
            return false;
        }
        delivery.sent = true;
        return true;
    }

    /** Writes deliveries whose packet identifiers became durable, then goes on draining. */
    private synchronized void sendDeferred(SessionListener listener, List<Delivery> batch) {
        if (connection != listener) {
            return; // still in flight: the next connection's resume sends them
        }
        long now = System.currentTimeMillis();
        for (Delivery d : batch) {
            if (d.qos == 0 || inflight.get(d.packetId) == d && !d.sent) {
                send(listener, d, now);
            }
        }
        drain(listener);
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
            finished(done);
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
            finished(d);
            return false;
        }
        d.released = true;
        if (d.journalId != 0) {
            journal.released(this, d);
        }
        d.settle(); // the member has it: QoS 2 never sends it to another one now
        return true;
    }

    // ---- inbound QoS 2 -----------------------------------------------------------------------------------------

    /**
     * Records an inbound QoS 2 packet id in memory; false if it is already awaiting PUBREL (a resent duplicate). The
     * journal gets it from {@link #journalInboundQos2} once the message is routed.
     */
    public synchronized boolean startInboundQos2(int packetId) {
        if (!inboundQos2.add(packetId)) {
            return false;
        }
        inboundRouting.add(packetId);
        return true;
    }

    /**
     * The inbound QoS 2 message was routed: its packet id goes to the journal after the deliveries it queued, so a
     * durable id always comes with durable deliveries. (Recorded before them, a crash between the two would make the
     * client's resend look like a duplicate of a message nobody has.)
     */
    public synchronized void journalInboundQos2(int packetId) {
        inboundRouting.remove(packetId);
        if (logged && inboundQos2.contains(packetId)) {
            journal.inboundStarted(this, packetId);
        }
    }

    /** PUBREL arrived: false if the id was unknown (MQTT 5: PUBCOMP 0x92). */
    public synchronized boolean releaseInboundQos2(int packetId) {
        inboundRouting.remove(packetId);
        boolean removed = inboundQos2.remove(packetId);
        if (removed && logged) {
            journal.inboundReleased(this, packetId);
        }
        return removed;
    }

    // ---- journal -----------------------------------------------------------------------------------------------

    /**
     * Completes when the changes of this session recorded so far are durable: at once for a session the journal does
     * not keep. PUBREL and the inbound PUBCOMP wait for it.
     */
    public CompletionStage<Void> journaled() {
        synchronized (this) {
            if (!logged || !journal.durable()) {
                return DONE;
            }
        }
        return journal.barrier();
    }

    /** The will to publish if this session's connection dies with the broker; null clears it. */
    public synchronized void will(StoredWill will) {
        this.will = will;
        if (logged) {
            journal.will(this, will);
        }
    }

    /** A delivery ended here (acknowledged or dropped): out of the journal, and its custody settled. */
    private void finished(Delivery delivery) {
        journalCompleted(delivery);
        delivery.settle();
    }

    private void journalCompleted(Delivery delivery) {
        if (delivery.journalId != 0 && logged) {
            journal.completed(this, delivery);
        }
    }

    /**
     * A session adopted without a connection (its broker died and this one took it from the replica, docs/adr/0017):
     * the journal gets all of its state now, so what is queued to it from here on is durable before acknowledged.
     */
    public synchronized void journalWholeState() {
        if (expiryIntervalSeconds > 0 && !logged && !ended && journal.durable()) {
            logWholeState();
        }
    }

    /** The session now outlives its connection: the journal gets all of its state. */
    private void logWholeState() {
        logged = true;
        journal.opened(this, expiryIntervalSeconds);
        subscriptions.forEach((topic, options) -> journal.subscribed(this, topic, options));
        for (Delivery d : inflight.all()) {
            journalNew(d);
            if (d.qos > 0) {
                journal.sent(this, d);
                if (d.released) {
                    journal.released(this, d);
                }
            }
        }
        for (Delivery d : queue.snapshot()) {
            journalNew(d);
        }
        recordedInboundQos2().forEach(id -> journal.inboundStarted(this, id));
    }

    private void journalNew(Delivery d) {
        if (d.qos > 0) {
            d.journalId = nextJournalId++;
            journal.queued(this, d);
        }
    }

    // ---- persistence ------------------------------------------------------------------------------------------

    /** The session's state for a snapshot (detached at 0 while a connection is attached); null when it ended. */
    public synchronized SessionState state(long nowMillis) {
        if (ended) {
            return null;
        }
        return new SessionState(clientId, expiryIntervalSeconds, connection == null ? detachedAtMillis : 0,
                new LinkedHashMap<>(subscriptions), new ArrayList<>(inflight.all()), queue.snapshot(),
                recordedInboundQos2(), inflight.nextPacketId(), will, owner);
    }

    /** The inbound QoS 2 ids whose message was routed (see {@link #inboundRouting}). */
    private Set<Integer> recordedInboundQos2() {
        Set<Integer> recorded = new HashSet<>(inboundQos2);
        recorded.removeAll(inboundRouting);
        return recorded;
    }

    /**
     * Hands the session over to another broker: its state, then its end here, in one step under its lock, so that no
     * message enqueued meanwhile is lost between the two. Deliveries of shared subscriptions travel with the state
     * (they are not given to another member). Null when it ended already.
     *
     * @param moved the state goes on at the new owner ({@link SessionJournal#handedOver}); false: it is discarded
     */
    public synchronized SessionState handOver(long nowMillis, boolean moved) {
        SessionState state = state(nowMillis);
        if (state == null) {
            return null;
        }
        queue.removeIf(d -> d.sharedGroup != null);
        inflight.takeUnreleasedShared();
        end(moved);
        return state;
    }

    /**
     * A session another broker handed over: like {@link #restore}, but this broker's journal has never seen it, so
     * its whole state is journaled when a connection attaches (persistent sessions).
     */
    public static Session adopt(SessionState state, SessionLimits limits, BrokerMetrics metrics,
            SessionJournal journal) {
        Session s = restore(state, limits, metrics, journal);
        synchronized (s) {
            s.logged = false;
        }
        return s;
    }

    /** A session as it was saved: offline, with its subscriptions, unacknowledged and queued messages. */
    public static Session restore(SessionState state, SessionLimits limits, BrokerMetrics metrics,
            SessionJournal journal) {
        Session s = new Session(state.clientId(), limits, metrics, journal, state.owner());
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
            s.will = state.will();
            long maxId = 0;
            for (Delivery d : state.inflight()) {
                maxId = Math.max(maxId, d.journalId);
            }
            for (Delivery d : state.queue()) {
                maxId = Math.max(maxId, d.journalId);
            }
            s.nextJournalId = maxId + 1;
            // The journal has the state this session was restored from. Deliveries without an id come from a snapshot
            // of an older version: they get one, and the caller has the journal take a snapshot before serving.
            s.logged = journal.durable() && state.expiryIntervalSeconds() > 0;
            if (s.logged) {
                for (Delivery d : s.inflight.all()) {
                    if (d.journalId == 0 && d.qos > 0) {
                        d.journalId = s.nextJournalId++;
                    }
                }
                for (Delivery d : s.queue.snapshot()) {
                    if (d.journalId == 0 && d.qos > 0) {
                        d.journalId = s.nextJournalId++;
                    }
                }
            }
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
