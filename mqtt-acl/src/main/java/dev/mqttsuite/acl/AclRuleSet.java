package dev.mqttsuite.acl;

import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A session's rules, compiled once for its identity (placeholders resolved) and evaluated locally for every PUBLISH,
 * SUBSCRIBE and delivery. Immutable and thread-safe.
 *
 * <p>Evaluation order (documented for operators): rules are sorted by priority, highest first; at equal priority
 * deny rules come before allow rules; within that, the order in which they were given. The first rule whose action
 * matches and whose pattern matches the topic decides. An allow rule with a QoS ceiling or without retain denies a
 * publish above the ceiling or with RETAIN set. No matching rule: denied (default deny for everything). A superuser is
 * allowed everything. At delivery, the first subscribe rule matching the topic denies it if it is a DENY rule, before
 * any receive rule is looked at: receive rules narrow what may be received, they never reopen a denied topic.
 *
 * <p>Shared subscriptions ({@link #checkSharedSubscribe}): {@code $share/{group}/{filter}} needs its filter allowed
 * as a plain subscription and, in addition, a SUBSCRIBE rule whose pattern starts with {@code $share/} and covers
 * the whole {@code $share/{group}/{filter}} (for example {@code $share/workers/jobs/#}, {@code $share/+/jobs/#} for
 * any group, {@code $share/%u/#} for a group named after the user). Without such a rule the group is denied: joining
 * a group takes messages away from its other members, so it is a permission of its own. A leading wildcard never
 * covers {@code $share} [MQTT-4.7.2-1], so {@code #} does not grant groups.
 */
public final class AclRuleSet {

    private static final Comparator<AclRule> ORDER = Comparator.comparingInt(AclRule::priority).reversed()
            .thenComparing(r -> r.effect() == AclRule.Effect.DENY ? 0 : 1);

    private record Compiled(AclRule rule, TopicFilter filter) {
    }

    private final boolean superuser;
    private final List<Compiled> rules;

    private AclRuleSet(boolean superuser, List<Compiled> rules) {
        this.superuser = superuser;
        this.rules = rules;
    }

    /** Everything allowed. */
    public static AclRuleSet superuser() {
        return new AclRuleSet(true, List.of());
    }

    /**
     * Compiles rules for one identity: placeholders are resolved with {@code variables}; a rule whose placeholder
     * cannot be resolved safely (absent, empty, or containing '+', '#', '/', U+0000) is left out.
     */
    public static AclRuleSet compile(List<AclRule> rules, AclVariables variables) {
        List<AclRule> sorted = new ArrayList<>(rules);
        sorted.sort(ORDER); // stable: keeps the given order within a priority and effect
        List<Compiled> compiled = new ArrayList<>(sorted.size());
        for (AclRule rule : sorted) {
            Optional<TopicFilter> filter = rule.pattern().resolve(variables);
            filter.ifPresent(f -> compiled.add(new Compiled(rule, f)));
        }
        return new AclRuleSet(false, List.copyOf(compiled));
    }

    public boolean isSuperuser() {
        return superuser;
    }

    public AclDecision checkPublish(TopicName topic, int qos, boolean retain) {
        if (superuser) {
            return new AclDecision(true, null, "superuser");
        }
        for (Compiled c : rules) {
            if (c.rule().action() == AclRule.Action.PUBLISH && c.filter().matches(topic)) {
                return limited(c.rule(), qos, retain);
            }
        }
        return new AclDecision(false, null, "no rule matches: default deny");
    }

    public AclDecision checkSubscribe(TopicFilter filter, int qos) {
        if (superuser) {
            return new AclDecision(true, null, "superuser");
        }
        for (Compiled c : rules) {
            if (c.rule().action() == AclRule.Action.SUBSCRIBE && c.filter().covers(filter)) {
                return limited(c.rule(), qos, false);
            }
        }
        return new AclDecision(false, null, "no rule covers the filter: default deny");
    }

    /**
     * A shared subscription: the filter as {@link #checkSubscribe} decides it, then the group: the first SUBSCRIBE
     * rule (in evaluation order) whose pattern starts with {@code $share/} and covers the whole shared subscription
     * decides; none means denied.
     */
    public AclDecision checkSharedSubscribe(SharedSubscription shared, int qos) {
        AclDecision filter = checkSubscribe(shared.filter(), qos);
        if (superuser || !filter.allowed()) {
            return filter;
        }
        TopicFilter whole = TopicFilter.of(shared.value());
        for (Compiled c : rules) {
            if (c.rule().action() == AclRule.Action.SUBSCRIBE && c.filter().value().startsWith(SubscriptionTopic.SHARE_PREFIX)
                    && c.filter().covers(whole)) {
                return limited(c.rule(), qos, false);
            }
        }
        return new AclDecision(false, null, "no SUBSCRIBE rule for $share/ covers share group \""
                + shared.shareName() + "\" with this filter: default deny");
    }

    public AclDecision checkReceive(TopicName topic) {
        if (superuser) {
            return new AclDecision(true, null, "superuser");
        }
        // A topic a DENY SUBSCRIBE rule forbids is never received, whatever the receive rules say: a wider
        // subscription (e.g. '#', allowed by another rule) must not deliver what subscribing to it directly may not.
        for (Compiled c : rules) {
            if (c.rule().action() == AclRule.Action.SUBSCRIBE && c.filter().matches(topic)) {
                if (c.rule().effect() == AclRule.Effect.DENY) {
                    return new AclDecision(false, c.rule(), "denied by subscribe rule " + c.rule()
                            + " (receive rules cannot bypass it)");
                }
                break;
            }
        }
        boolean anyReceiveRule = false;
        for (Compiled c : rules) {
            if (c.rule().action() == AclRule.Action.RECEIVE) {
                anyReceiveRule = true;
                if (c.filter().matches(topic)) {
                    return new AclDecision(c.rule().effect() == AclRule.Effect.ALLOW, c.rule(),
                            c.rule().effect() + " by " + c.rule());
                }
            }
        }
        // Receive is governed by subscribe rules unless receive rules exist: a session may receive what it was
        // allowed to subscribe to; explicit receive rules then narrow it (checked at delivery).
        if (!anyReceiveRule) {
            for (Compiled c : rules) {
                if (c.rule().action() == AclRule.Action.SUBSCRIBE && c.filter().matches(topic)) {
                    return new AclDecision(c.rule().effect() == AclRule.Effect.ALLOW, c.rule(),
                            c.rule().effect() + " by subscribe rule " + c.rule());
                }
            }
        }
        return new AclDecision(false, null, "no rule allows receiving: default deny");
    }

    private static AclDecision limited(AclRule rule, int qos, boolean retain) {
        if (rule.effect() == AclRule.Effect.DENY) {
            return new AclDecision(false, rule, "denied by " + rule);
        }
        if (rule.maxQos() != null && qos > rule.maxQos()) {
            return new AclDecision(false, rule, "QoS " + qos + " above the rule's maximum " + rule.maxQos());
        }
        if (retain && Boolean.FALSE.equals(rule.allowRetain())) {
            return new AclDecision(false, rule, "retained publishes not allowed by " + rule);
        }
        return new AclDecision(true, rule, "allowed by " + rule);
    }

    public int size() {
        return rules.size();
    }
}
