package dev.mqttsuite.broker.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The seam where a message handed to a session's queue can become durable before it is acknowledged: a write-ahead
 * session log implements it (append under the session's lock, group commit in {@link #barrier}). Today's
 * implementation is {@link #IN_MEMORY}: queues live in memory and are saved by the snapshot at a graceful shutdown.
 */
public interface SessionJournal {

    /** A delivery entered the queue of a session that outlives its connection; called under the session's lock. */
    void queued(Session session, Delivery delivery);

    /** The client acknowledged the delivery (PUBACK, PUBCOMP, error PUBREC): it leaves the session. */
    void completed(Session session, Delivery delivery);

    /**
     * Completes once everything recorded so far is durable. The publisher's PUBACK/PUBREC waits for it, so an
     * acknowledged message is never lost by the journal's policy.
     */
    CompletionStage<Void> barrier();

    /** Whether {@link #barrier} can complete later than at once (so the publish path takes its slow branch). */
    boolean durable();

    /** No journal: queues are in memory only. */
    SessionJournal IN_MEMORY = new SessionJournal() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public void queued(Session session, Delivery delivery) {
        }

        @Override
        public void completed(Session session, Delivery delivery) {
        }

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
