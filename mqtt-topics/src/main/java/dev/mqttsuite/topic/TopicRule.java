package dev.mqttsuite.topic;

/** The rules of MQTT topic names and filters, each with the statement of the specification it comes from. */
public enum TopicRule {
    NOT_EMPTY("[MQTT-4.7.3-1]", "topic names and topic filters must be at least one character long"),
    WELL_FORMED_UTF8("[MQTT-1.5.4-1]", "must be well-formed UTF-8 (no unpaired surrogates, no invalid bytes)"),
    NO_NULL_CHARACTER("[MQTT-4.7.3-2]", "must not contain the null character U+0000"),
    MAX_LENGTH("[MQTT-4.7.3-3]", "must not encode to more than 65,535 bytes of UTF-8"),
    NO_WILDCARD_IN_TOPIC_NAME("[MQTT-3.3.2-2]", "a topic name must not contain the wildcards '+' or '#'"),
    MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL("[MQTT-4.7.1-2]",
            "'#' must occupy a whole level and be the last level of the filter"),
    SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL("[MQTT-4.7.1-3]", "'+' must occupy a whole level of the filter"),
    SHARE_NAME_NOT_EMPTY("[MQTT-4.8.2-1]", "a shared subscription's share name must be at least one character long"),
    SHARE_NAME_CHARACTERS("[MQTT-4.8.2-2]", "a share name must not contain '/', '+' or '#'"),
    SHARED_FILTER_PRESENT("[MQTT-4.8.2-2]", "a share name must be followed by '/' and a topic filter"),
    MAX_LEVELS("(broker limit)", "has more levels than the configured maximum topic depth"),
    PLACEHOLDER_WHOLE_LEVEL("(ACL pattern)", "a placeholder must occupy a whole level of the pattern"),
    PLACEHOLDER_KNOWN("(ACL pattern)", "unknown placeholder");

    private final String specId;
    private final String description;

    TopicRule(String specId, String description) {
        this.specId = specId;
        this.description = description;
    }

    /** The statement ID of the MQTT specification, e.g. {@code [MQTT-4.7.1-2]}. */
    public String specId() {
        return specId;
    }

    public String description() {
        return description;
    }
}
