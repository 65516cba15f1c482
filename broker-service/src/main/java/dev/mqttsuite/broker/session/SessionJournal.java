package dev.mqttsuite.broker.session;

import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where the changes of persistent sessions become durable before they are acknowledged: the write-ahead session log
 * ({@code session/log/SessionLog}, {@code broker.session.persistence=file}) implements it. A {@link Session} calls
 * it under its own lock, for sessions that outlive their connection (Session Expiry Interval above zero) only, so the
 * records of one session are in the order of its changes. Each call only hands a small record over; the writing, the
 * group commit and the fsync happen on the journal's own thread, and {@link #barrier} is the point the
 * acknowledgements wait for.
 *
 * <p>Every record says what a piece of state <em>is</em> after the change (a key set or removed), never a delta, so
 * replaying the log over a snapshot taken while the log kept growing gives the same state (docs/adr/0010).
 */
public interface SessionJournal {

    /** Why the journal cannot take a QoS 1/2 message for a persistent session now. */
    enum Refusal {
        /** The disk budget ({@code broker.session.log.max-disk-bytes}) or the disk itself is full: 0x97. */
        QUOTA_EXCEEDED,
        /** The log cannot be written (an I/O error other than a full disk): 0x80. */
        UNAVAILABLE
    }

    /** What a failed {@link #barrier} completes with: the records were not made durable, and why. */
    final class NotDurable extends RuntimeException {
        private final Refusal refusal;

        public NotDurable(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** A new session that outlives its connection, or a session that now does: its whole state follows. */
    default void opened(Session session, long expiryIntervalSeconds) {
    }

    /** A connection attached to the session (its will may follow). */
    default void attached(Session session, long expiryIntervalSeconds) {
    }

    /** The connection went away at {@code atMillis}; the interval is the one in force from now. */
    default void detached(Session session, long expiryIntervalSeconds, long atMillis) {
    }

    /** The session ended (expired, discarded by Clean Start, taken away): all of its state goes. */
    default void ended(Session session) {
    }

    /**
     * The session moved to another broker with its state (a cluster takeover): it ends here. A replicated journal
     * keeps the replica, which the new owner takes over (docs/adr/0017, "Takeover"); the default is {@link #ended}.
     */
    default void handedOver(Session session) {
        ended(session);
    }

    default void subscribed(Session session, SubscriptionTopic topic, SubscriptionOptions options) {
    }

    default void unsubscribed(Session session, SubscriptionTopic topic) {
    }

    /** A QoS 1/2 delivery entered the session's queue; it carries its {@link Delivery#journalId}. */
    default void queued(Session session, Delivery delivery) {
    }

    /** The delivery was sent under its packet identifier (its first PUBLISH). */
    default void sent(Session session, Delivery delivery) {
    }

    /** QoS 2: the PUBREC arrived, PUBREL is the next packet. */
    default void released(Session session, Delivery delivery) {
    }

    /** The delivery left the session: acknowledged, expired, too large, moved to another shared member, evicted. */
    default void completed(Session session, Delivery delivery) {
    }

    /** An inbound QoS 2 packet identifier awaits its PUBREL [MQTT-4.3.3-10]. */
    default void inboundStarted(Session session, int packetId) {
    }

    /** The inbound QoS 2 exchange ended (PUBREL, or an error PUBREC). */
    default void inboundReleased(Session session, int packetId) {
    }

    /** The session's will, kept until published or discarded; null clears it. */
    default void will(Session session, StoredWill will) {
    }

    /**
     * Runs {@code changes} so that the records they append are written together: a crash keeps all of them or none.
     * The deliveries of an inbound QoS 2 message and its packet identifier are recorded this way, so a crash between
     * them can neither make the client's resend look new (routed twice) nor look like a duplicate of a message nobody
     * has (lost) [MQTT-4.3.3-10]. Records other threads append meanwhile may land among them, and a barrier taken
     * meanwhile completes only once the whole group is durable.
     */
    default <T> T together(Supplier<T> changes) {
        return changes.get();
    }

    /**
     * Completes once everything recorded so far is durable (written, and fsynced under {@code fsync=batch}). The
     * publisher's PUBACK/PUBREC waits for it, so an acknowledged message is never lost by the journal's policy; it
     * fails when the write failed.
     */
    CompletionStage<Void> barrier();

    /** Whether {@link #barrier} can complete later than at once (so the acknowledgements take their slow branch). */
    boolean durable();

    /** Null while a QoS 1/2 message for a persistent session can be accepted, otherwise why not. */
    default Refusal refusal() {
        return null;
    }

    /** No journal: queues are in memory only. */
    SessionJournal IN_MEMORY = new SessionJournal() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> barrier() {
            return done;
        }

        @Override
        public boolean durable() {
            return false;
        }
    };
}
