package dev.mqttsuite.topic;

/**
 * What a SUBSCRIBE or UNSUBSCRIBE names: either a plain {@link TopicFilter} or a {@link SharedSubscription}
 * ({@code $share/{ShareName}/{filter}}).
 */
public sealed interface SubscriptionTopic permits TopicFilter, SharedSubscription {

    /** The prefix that makes a filter a shared subscription (MQTT 5.0 section 4.8.2). */
    String SHARE_PREFIX = "$share/";

    /** The topic filter that messages are matched against. */
    TopicFilter filter();

    /** The text as the client sent it. */
    String value();

    /**
     * Parses a subscription's topic: {@code $share/...} is validated as a shared subscription before anything else
     * is done with it, everything else as a topic filter.
     *
     * @throws InvalidTopicException naming the broken rule
     */
    static SubscriptionTopic parse(String value) {
        if (value != null && value.startsWith(SHARE_PREFIX)) {
            return SharedSubscription.of(value);
        }
        return TopicFilter.of(value);
    }
}
