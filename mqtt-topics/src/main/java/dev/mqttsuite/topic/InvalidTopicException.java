package dev.mqttsuite.topic;

/**
 * A topic name, topic filter, shared subscription or ACL pattern broke a rule. The message names the rule, its
 * specification statement and the offending input (shortened when long).
 */
public final class InvalidTopicException extends IllegalArgumentException {

    private static final int MAX_ECHO = 80;

    private final TopicRule rule;

    public InvalidTopicException(TopicRule rule, String kind, String input) {
        this(rule, kind, input, null);
    }

    public InvalidTopicException(TopicRule rule, String kind, String input, String detail) {
        super(kind + " " + echo(input) + " is invalid: " + rule.description()
                + (detail == null ? "" : " (" + detail + ")") + " " + rule.specId());
        this.rule = rule;
    }

    /** The rule that was broken. */
    public TopicRule rule() {
        return rule;
    }

    private static String echo(String input) {
        if (input == null) {
            return "<null>";
        }
        String shown = input.length() > MAX_ECHO ? input.substring(0, MAX_ECHO) + "...(" + input.length() + " chars)"
                : input;
        return '"' + shown.replace("\u0000", "\\u0000") + '"';
    }
}
