package dev.mqttsuite.topic;

import java.util.List;

/**
 * A validated MQTT topic filter: what a subscription or an ACL rule matches topic names with. '+' matches exactly
 * one level, '#' matches the parent level and any number of levels below it. Immutable.
 */
public final class TopicFilter implements SubscriptionTopic {

    private static final String KIND = "topic filter";

    private final String value;
    private final String[] levels;
    private final boolean wildcard;

    private TopicFilter(String value, String[] levels, boolean wildcard) {
        this.value = value;
        this.levels = levels;
        this.wildcard = wildcard;
    }

    /**
     * Validates a topic filter.
     *
     * @throws InvalidTopicException naming the broken rule: empty [MQTT-4.7.3-1], U+0000 [MQTT-4.7.3-2], too long
     *     [MQTT-4.7.3-3], ill-formed UTF-16/UTF-8 [MQTT-1.5.4-1], '#' not alone as the last level [MQTT-4.7.1-2],
     *     '+' not alone in its level [MQTT-4.7.1-3]
     */
    public static TopicFilter of(String value) {
        Topics.checkCommon(value, KIND);
        String[] levels = Topics.split(value);
        boolean wildcard = false;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals(Topics.MULTI_LEVEL)) {
                if (i != levels.length - 1) {
                    throw new InvalidTopicException(TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL, KIND, value,
                            "'#' at level " + i + " of " + levels.length);
                }
                wildcard = true;
            } else if (level.equals(Topics.SINGLE_LEVEL)) {
                wildcard = true;
            } else if (level.indexOf('#') >= 0) {
                throw new InvalidTopicException(TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL, KIND, value,
                        "level " + i + " is \"" + level + "\"");
            } else if (level.indexOf('+') >= 0) {
                throw new InvalidTopicException(TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL, KIND, value,
                        "level " + i + " is \"" + level + "\"");
            }
        }
        return new TopicFilter(value, levels, wildcard);
    }

    /** Decodes and validates a topic filter received as UTF-8 bytes. */
    public static TopicFilter fromUtf8(byte[] bytes) {
        return of(Topics.decodeUtf8(bytes, KIND));
    }

    /** The filter that matches exactly one topic name. */
    public static TopicFilter exactly(TopicName name) {
        return new TopicFilter(name.value(), name.levelArray(), false);
    }

    @Override
    public TopicFilter filter() {
        return this;
    }

    @Override
    public String value() {
        return value;
    }

    public boolean hasWildcard() {
        return wildcard;
    }

    public int depth() {
        return levels.length;
    }

    public String level(int index) {
        return levels[index];
    }

    public List<String> levels() {
        return List.of(levels);
    }

    String[] levelArray() {
        return levels;
    }

    /**
     * Whether this filter matches the topic name, with the '$' rule: a filter whose first level is a wildcard does
     * not match a topic name that starts with '$' [MQTT-4.7.2-1]. Costs O(depth).
     */
    public boolean matches(TopicName topic) {
        String[] topicLevels = topic.levelArray();
        if (topic.isSystemTopic() && isWildcardLevel(levels[0])) {
            return false;
        }
        int i = 0;
        for (; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals(Topics.MULTI_LEVEL)) {
                return true; // matches the parent level too: "a/#" matches "a" [MQTT-4.7.1-2]
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals(Topics.SINGLE_LEVEL) && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return i == topicLevels.length;
    }

    /**
     * Whether every topic name matched by {@code other} is also matched by this filter: the check an authorizer needs
     * for SUBSCRIBE ("may a client allowed {@code sensors/#} subscribe to {@code sensors/+/temp}?"). Exact and
     * conservative: it answers true only when the inclusion holds for all topic names, honouring [MQTT-4.7.2-1].
     */
    public boolean covers(TopicFilter other) {
        String[] theirs = other.levels;
        if (isWildcardLevel(levels[0]) && !isWildcardLevel(theirs[0]) && theirs[0].startsWith("$")) {
            return false; // every topic 'other' matches starts with '$': a leading wildcard matches none of them
        }
        for (int i = 0; i < levels.length; i++) {
            String mine = levels[i];
            if (mine.equals(Topics.MULTI_LEVEL)) {
                return true;
            }
            if (i >= theirs.length) {
                return false;
            }
            String their = theirs[i];
            if (their.equals(Topics.MULTI_LEVEL)) {
                // Theirs matches the parent level too, except at the first level: a topic has at least one level,
                // so a leading "#" is covered by "+/#" as well as by "#".
                return i == 0 && mine.equals(Topics.SINGLE_LEVEL) && levels.length == 2
                        && levels[1].equals(Topics.MULTI_LEVEL);
            }
            if (mine.equals(Topics.SINGLE_LEVEL)) {
                continue;
            }
            if (their.equals(Topics.SINGLE_LEVEL) || !mine.equals(their)) {
                return false;
            }
        }
        return levels.length == theirs.length;
    }

    static boolean isWildcardLevel(String level) {
        return level.equals(Topics.SINGLE_LEVEL) || level.equals(Topics.MULTI_LEVEL);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicFilter filter && filter.value.equals(value);
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
