package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.reason.PubackReasonCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The common path of every application message: retained state, local routing, the session journal and forwarding to
 * other nodes. Its result is what an acknowledgement waits for.
 */
public final class MessagePublisher {

    private static final Logger LOG = Logger.getLogger(MessagePublisher.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * What publishing did: how many local sessions got the message, and when it is safe to acknowledge.
     *
     * @param refusal the reason code to refuse a QoS 1/2 publish with, or null: 0x97 when no recipient had room
     *     ({@code queue-overflow=refuse}) or the session journal is over its disk budget, 0x80 when the journal
     *     cannot write
     */
    public record Outcome(int routed, CompletionStage<Void> accepted, PubackReasonCode refusal) {
    }

    private final Router router;
    private final RetainedStore retained;
    private final SessionJournal journal;
    private final MessageForwarder forwarder;

    public MessagePublisher(Router router, RetainedStore retained, SessionJournal journal,
            MessageForwarder forwarder) {
        this.router = router;
        this.retained = retained;
        this.journal = journal;
        this.forwarder = forwarder;
    }

    /**
     * Publishes a client's message: routes it to current subscribers at once, and for RETAIN=1 stores it (an empty
     * payload deletes the retained message [MQTT-3.3.1-6, MQTT-3.3.1-7]).
     *
     * @return the routed count and a stage that completes when the retained state, the journal and the other nodes
     *     accepted the message (at once on a single node without retain); it fails when one of them refused or is
     *     unreachable, so the caller does not acknowledge as if it were saved
     */
    public Outcome publish(Message message, SessionListener publisher) {
        return publish(message, publisher, null);
    }

    /**
     * {@link #publish}, running {@code afterRouting} (on this thread) once the message is queued here and before the
     * journal barrier is taken, so that what it records is covered by the same acknowledgement; the deliveries and
     * what it records are one {@link SessionJournal#together group}: a crash keeps both or neither.
     */
    public Outcome publish(Message message, SessionListener publisher, Runnable afterRouting) {
        CompletionStage<Void> stored = message.retain() ? retained.put(message) : DONE;
        MessageForwarder.Dispatch forwarded = forwarder.dispatch(message); // decides which node serves each group
        Router.Routed routed = afterRouting == null
                ? router.route(message, publisher, true, forwarded.localGroups())
                : journal.together(() -> {
                    Router.Routed r = router.route(message, publisher, true, forwarded.localGroups());
                    afterRouting.run(); // its records and the deliveries' reach the journal in one write
                    return r;
                });
        CompletionStage<Void> accepted = both(stored, forwarded.accepted());
        if (routed.journaled() > 0) {
            accepted = both(accepted, journal.barrier());
        }
        return new Outcome(routed.queued(), accepted, refusal(routed));
    }

    private PubackReasonCode refusal(Router.Routed routed) {
        if (routed.notDurable()) {
            return journal.refusal() == SessionJournal.Refusal.UNAVAILABLE ? PubackReasonCode.UNSPECIFIED_ERROR
                    : PubackReasonCode.QUOTA_EXCEEDED;
        }
        return routed.queued() == 0 && routed.full() > 0 ? PubackReasonCode.QUOTA_EXCEEDED : null;
    }

    private static CompletionStage<Void> both(CompletionStage<Void> a, CompletionStage<Void> b) {
        if (a == DONE) {
            return b;
        }
        if (b == DONE || b.toCompletableFuture().isDone() && !b.toCompletableFuture().isCompletedExceptionally()) {
            return a;
        }
        return a.thenCombine(b, (x, y) -> null);
    }

    /** Publishes a broker-generated message (will, $SYS); a retained-store failure is logged. */
    public void publishInternal(Message message) {
        if (message.retain()) {
            retained.put(message).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warnf("Retained store did not accept %s: %s", message.topic(), failure.toString());
                }
            });
        }
        MessageForwarder.Dispatch forwarded = forwarder.dispatch(message);
        router.route(message, null, true, forwarded.localGroups());
    }
}
