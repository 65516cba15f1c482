package dev.mqttsuite.bridge.route;

import dev.mqttsuite.topic.TopicName;
import java.util.List;
import java.util.Optional;

/** The topic rules of one bridge, in configuration order. */
public final class Routes {

    private final List<TopicRoute> rules;

    public Routes(List<TopicRoute> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<TopicRoute> all() {
        return rules;
    }

    /** The first rule that carries a message on {@code topic} away from {@code from}, if any. */
    public Optional<TopicRoute> routeFrom(Side from, TopicName topic) {
        for (TopicRoute rule : rules) {
            if (rule.flowsFrom(from) && rule.covers(from, topic)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a message we publish on {@code side} under {@code topic} comes back to us: some rule subscribes there
     * (MQTT 3.1.1 delivers a client's own publications to its matching subscriptions).
     */
    public boolean echoExpected(Side side, TopicName topic) {
        for (TopicRoute rule : rules) {
            if (rule.flowsFrom(side) && rule.covers(side, topic)) {
                return true;
            }
        }
        return false;
    }

    public boolean anyFrom(Side side) {
        return rules.stream().anyMatch(r -> r.flowsFrom(side));
    }
}
