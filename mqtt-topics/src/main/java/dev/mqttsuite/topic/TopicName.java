package dev.mqttsuite.topic;

import java.util.List;

/**
 * A validated MQTT topic name: what a PUBLISH is sent to. Immutable; equal when the strings are equal (no
 * normalisation is ever applied [MQTT-4.7.3-4]).
 */
public final class TopicName {

    private static final String KIND = "topic name";

    private final String value;
    private final String[] levels;

    private TopicName(String value, String[] levels) {
        this.value = value;
        this.levels = levels;
    }

    /**
     * Validates a topic name.
     *
     * @throws InvalidTopicException naming the broken rule: empty [MQTT-4.7.3-1], U+0000 [MQTT-4.7.3-2], too long
     *     [MQTT-4.7.3-3], ill-formed UTF-16/UTF-8 [MQTT-1.5.4-1] or a wildcard [MQTT-3.3.2-2]
     */
    public static TopicName of(String value) {
        Topics.checkCommon(value, KIND);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException(TopicRule.NO_WILDCARD_IN_TOPIC_NAME, KIND, value, "at index " + i);
            }
        }
        return new TopicName(value, Topics.split(value));
    }

    /** Decodes and validates a topic name received as UTF-8 bytes. */
    public static TopicName fromUtf8(byte[] bytes) {
        return of(Topics.decodeUtf8(bytes, KIND));
    }

    /** Whether {@code value} is a valid topic name, without the cost of an exception's message. */
    public static boolean isValid(String value) {
        try {
            of(value);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    public String value() {
        return value;
    }

    /** The number of levels ("a/b" has 2, "/" has 2, "a" has 1). */
    public int depth() {
        return levels.length;
    }

    /** The level at {@code index} (may be empty). */
    public String level(int index) {
        return levels[index];
    }

    public List<String> levels() {
        return List.of(levels);
    }

    /**
     * Topics that begin with '$' ($SYS/..., $share is a filter prefix only) are reserved for the server and are not
     * matched by filters that begin with a wildcard [MQTT-4.7.2-1].
     */
    public boolean isSystemTopic() {
        return value.charAt(0) == '$';
    }

    String[] levelArray() {
        return levels;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicName name && name.value.equals(value);
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
