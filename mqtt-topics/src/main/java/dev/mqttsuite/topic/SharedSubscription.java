package dev.mqttsuite.topic;

/**
 * A shared subscription {@code $share/{ShareName}/{filter}} (MQTT 5.0 section 4.8.2): each matching message goes to
 * one member of the group named by share name and filter together.
 */
public final class SharedSubscription implements SubscriptionTopic {

    private static final String KIND = "shared subscription";

    private final String value;
    private final String shareName;
    private final TopicFilter filter;

    private SharedSubscription(String value, String shareName, TopicFilter filter) {
        this.value = value;
        this.shareName = shareName;
        this.filter = filter;
    }

    /**
     * Validates {@code $share/{ShareName}/{filter}}: the share name is at least one character [MQTT-4.8.2-1],
     * contains no '/', '+' or '#' and is followed by '/' and a valid topic filter [MQTT-4.8.2-2].
     *
     * @throws InvalidTopicException naming the broken rule
     */
    public static SharedSubscription of(String value) {
        Topics.checkCommon(value, KIND);
        if (!value.startsWith(SHARE_PREFIX)) {
            throw new InvalidTopicException(TopicRule.SHARED_FILTER_PRESENT, KIND, value, "must start with $share/");
        }
        int nameStart = SHARE_PREFIX.length();
        int slash = value.indexOf(Topics.SEPARATOR, nameStart);
        String shareName = slash < 0 ? value.substring(nameStart) : value.substring(nameStart, slash);
        if (shareName.isEmpty()) {
            throw new InvalidTopicException(TopicRule.SHARE_NAME_NOT_EMPTY, KIND, value);
        }
        if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
            throw new InvalidTopicException(TopicRule.SHARE_NAME_CHARACTERS, KIND, value,
                    "share name \"" + shareName + "\"");
        }
        if (slash < 0 || slash == value.length() - 1) {
            throw new InvalidTopicException(TopicRule.SHARED_FILTER_PRESENT, KIND, value);
        }
        TopicFilter filter = TopicFilter.of(value.substring(slash + 1));
        return new SharedSubscription(value, shareName, filter);
    }

    /** Builds the shared subscription for a share name and filter. */
    public static SharedSubscription of(String shareName, TopicFilter filter) {
        return of(SHARE_PREFIX + shareName + Topics.SEPARATOR + filter.value());
    }

    public String shareName() {
        return shareName;
    }

    @Override
    public TopicFilter filter() {
        return filter;
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SharedSubscription shared && shared.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
