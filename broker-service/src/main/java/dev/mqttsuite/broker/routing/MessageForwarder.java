package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.message.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The port where a published message leaves this broker for other nodes with matching routes. A cluster implements it
 * (one batched stream per peer, a bounded window per peer); the stage completes when every node with a matching
 * persistent session has accepted the message, and the publisher's PUBACK/PUBREC waits for it. Today's
 * implementation is {@link #LOCAL_ONLY}.
 */
public interface MessageForwarder {

    CompletionStage<Void> forward(Message message);

    /** A single node: nothing to forward. */
    MessageForwarder LOCAL_ONLY = new MessageForwarder() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> forward(Message message) {
            return done;
        }
    };
}
