package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.session.SessionListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** The common path of every application message: retained state, then routing. */
public final class MessagePublisher {

    private static final Logger LOG = Logger.getLogger(MessagePublisher.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Router router;
    private final RetainedStore retained;

    public MessagePublisher(Router router, RetainedStore retained) {
        this.router = router;
        this.retained = retained;
    }

    /**
     * Publishes a client's message: routes it to current subscribers at once, and for RETAIN=1 stores it (an empty
     * payload deletes the retained message [MQTT-3.3.1-6, MQTT-3.3.1-7]).
     *
     * @return completes when the retained state is durable (at once for non-retained messages); fails when the store
     *     refused or is unreachable, so the caller does not acknowledge as if it were saved
     */
    public CompletionStage<Void> publish(Message message, SessionListener publisher, int[] routedCount) {
        CompletionStage<Void> stored = message.retain() ? retained.put(message) : DONE;
        routedCount[0] = router.route(message, publisher);
        return stored;
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
        router.route(message, null);
    }
}
