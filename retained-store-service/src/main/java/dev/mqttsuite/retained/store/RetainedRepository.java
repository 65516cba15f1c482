package dev.mqttsuite.retained.store;

import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.topic.TopicFilter;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A storage adapter of retained messages. One contract test suite runs against every implementation
 * ({@code RetainedRepositoryContract}).
 */
public interface RetainedRepository extends AutoCloseable {

    /**
     * Stores the message, or deletes the topic's message when the payload is empty. Completes when durable per the
     * sync policy; fails with {@link StoreLimitException} when a limit would be exceeded.
     *
     * @return whether an existing message was replaced or deleted
     */
    CompletionStage<Boolean> put(RetainedMessage message);

    Optional<RetainedMessage> get(String topic);

    /**
     * Matching, unexpired messages, lazily: the caller pulls at its own pace. May block (database cursor): callers
     * iterate on a worker thread.
     */
    Iterator<RetainedMessage> match(TopicFilter filter);

    long count();

    long payloadBytes();

    /** Removes at most {@code max} messages whose expiry has passed; returns how many. Bounded work. */
    int purgeExpired(long nowMillis, int max);

    /** Deletes every message matching the filter; returns how many. */
    long deleteMatching(TopicFilter filter);

    @Override
    void close();
}
