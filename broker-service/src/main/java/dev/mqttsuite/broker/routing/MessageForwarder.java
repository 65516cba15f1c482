package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.Custody;
import dev.mqttsuite.topic.TopicFilter;
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

    /**
     * What {@link #dispatch} did with one message.
     *
     * @param accepted completes when the other nodes accepted it (see {@link #forward})
     * @param localGroups the shared groups this node still serves for it (the others went to other nodes)
     */
    record Dispatch(CompletionStage<Void> accepted, SharedGroupSelector localGroups) {
    }

    /**
     * Forwards a message about to be routed here and decides its shared groups: each matching group is served by one
     * node only, and the result says which of them this node serves. Called before local routing.
     */
    default Dispatch dispatch(Message message) {
        return new Dispatch(forward(message), SharedGroupSelector.ALL);
    }

    /**
     * Hands a message of the shared group {@code $share/{shareName}/{filter}} that no member here can take any more to
     * another node with members of that group.
     *
     * @param custody the copy a broker keeps of the message, which goes with it (null if none)
     * @return false when there is no such node (the caller keeps or drops the message)
     */
    default boolean forwardShared(Message message, String shareName, TopicFilter filter, Custody custody) {
        return false;
    }

    /** A single node: nothing to forward. */
    MessageForwarder LOCAL_ONLY = new MessageForwarder() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> forward(Message message) {
            return done;
        }
    };
}
