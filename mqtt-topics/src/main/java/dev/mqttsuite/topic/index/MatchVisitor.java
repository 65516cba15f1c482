package dev.mqttsuite.topic.index;

/**
 * Receives the subscriptions that match a topic name. Called on the matching thread, synchronously, once per
 * matching plain subscription and once per matching shared-subscription group. Implementations must not block and
 * must not modify the index from inside the callback.
 *
 * @param <S> the subscriber type
 * @param <O> the subscription options type
 */
public interface MatchVisitor<S, O> {

    /** A plain (non-shared) subscription of {@code subscriber} matched. */
    void onSubscription(S subscriber, O options);

    /**
     * A shared-subscription group matched: exactly one of its members should get the message; {@link
     * SharedGroup#next} picks one round-robin.
     */
    void onSharedGroup(SharedGroup<S, O> group);
}
