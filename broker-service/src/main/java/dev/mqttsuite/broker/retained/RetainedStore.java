package dev.mqttsuite.broker.retained;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.topic.TopicFilter;
import io.smallrye.mutiny.Multi;
import java.util.concurrent.CompletionStage;

/**
 * The retained-message port. Implementations never block the caller: the in-memory adapter answers at once, the
 * retained-store-service adapter over the network. Several brokers may share one store.
 */
public interface RetainedStore {

    /** A put refused because the store is at one of its configured limits (the message names it): 0x97. */
    final class QuotaExceeded extends RuntimeException {
        public QuotaExceeded(String message) {
            super(message);
        }
    }

    /**
     * Stores a retained message, or deletes the topic's retained message when the payload is empty [MQTT-3.3.1-6].
     * Completes once the store has durably accepted it; fails when it could not (the broker then does not
     * acknowledge the PUBLISH as if it had been saved), with {@link QuotaExceeded} when a store limit refused it.
     */
    CompletionStage<Void> put(Message message);

    /**
     * The retained messages matching {@code filter}, as a stream the subscriber pulls with back-pressure (however many
     * there are: no silent truncation).
     */
    Multi<Message> match(TopicFilter filter);

    /** Number of retained messages, for $SYS and metrics (may be approximate for remote stores). */
    long count();

    /** For logs. */
    String describe();
}
