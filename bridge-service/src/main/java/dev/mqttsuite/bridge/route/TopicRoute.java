package dev.mqttsuite.bridge.route;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;

/**
 * One topic rule of a bridge, in the manner of Mosquitto's {@code topic <filter> <dir> <qos> <local> <remote>} lines:
 * on our broker the rule covers {@code localPrefix + filter}, on the remote {@code remotePrefix + filter}; a message
 * crossing the bridge loses the prefix of the side it came from and gains the other side's.
 *
 * @param filter       the filter relative to the prefixes
 * @param fromLocal    messages flow from our broker to the remote (direction out or both)
 * @param fromRemote   messages flow from the remote to our broker (direction in or both)
 */
public record TopicRoute(String filter, boolean fromLocal, boolean fromRemote, int qos, String localPrefix,
        String remotePrefix, TopicFilter localFilter, TopicFilter remoteFilter) {

    /**
     * @throws IllegalArgumentException naming what is wrong: a prefix with wildcards, an invalid filter, QoS not 0/1
     */
    public static TopicRoute of(String filter, boolean fromLocal, boolean fromRemote, int qos, String localPrefix,
            String remotePrefix) {
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("qos=" + qos + " must be 0 or 1 (the bridge is at-least-once end to end;"
                    + " QoS 2 would need the bridge to persist the PUBREC state it holds between the brokers)");
        }
        checkPrefix("local-prefix", localPrefix);
        checkPrefix("remote-prefix", remotePrefix);
        TopicFilter local;
        TopicFilter remote;
        try {
            TopicFilter.of(filter);
            local = TopicFilter.of(localPrefix + filter);
            remote = TopicFilter.of(remotePrefix + filter);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("filter '" + filter + "' is not a valid topic filter: " + e.getMessage());
        }
        if (local.value().startsWith("$share/") || remote.value().startsWith("$share/")) {
            throw new IllegalArgumentException("filter '" + filter + "': shared subscriptions cannot be bridged");
        }
        return new TopicRoute(filter, fromLocal, fromRemote, qos, localPrefix, remotePrefix, local, remote);
    }

    private static void checkPrefix(String name, String prefix) {
        if (prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " '" + prefix + "' must not contain wildcards or U+0000");
        }
    }

    /** Whether messages flow from {@code side} through this rule. */
    public boolean flowsFrom(Side side) {
        return side == Side.LOCAL ? fromLocal : fromRemote;
    }

    /** The filter this rule subscribes to on {@code side}. */
    public TopicFilter filterOn(Side side) {
        return side == Side.LOCAL ? localFilter : remoteFilter;
    }

    private String prefixOn(Side side) {
        return side == Side.LOCAL ? localPrefix : remotePrefix;
    }

    /** Whether a topic on {@code side} is covered by this rule. */
    public boolean covers(Side side, TopicName topic) {
        return filterOn(side).matches(topic);
    }

    /**
     * The topic a message from {@code from} gets on the other side: the source prefix replaced by the target's.
     * Only valid for a topic this rule {@link #covers(Side, TopicName) covers} on {@code from}.
     */
    public String map(Side from, String topic) {
        String sourcePrefix = prefixOn(from);
        return prefixOn(from.other()) + topic.substring(sourcePrefix.length());
    }
}
