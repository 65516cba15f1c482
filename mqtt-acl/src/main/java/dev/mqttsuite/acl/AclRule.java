package dev.mqttsuite.acl;

import java.util.Objects;

/**
 * One ACL rule: allow or deny an action on topics matching a pattern, with an optional QoS ceiling and retain flag.
 *
 * @param effect allow or deny
 * @param action publish, subscribe, or receive (checked at delivery)
 * @param pattern topic filter with whole-level placeholders (see {@link AclPattern})
 * @param priority the priority of the role the rule comes from; higher is evaluated first
 * @param maxQos the highest QoS an allow rule grants, or null for any
 * @param allowRetain whether an allow rule covers retained publishes; null means yes
 */
public record AclRule(Effect effect, Action action, AclPattern pattern, int priority, Integer maxQos,
        Boolean allowRetain) {

    public enum Effect { ALLOW, DENY }

    public enum Action { PUBLISH, SUBSCRIBE, RECEIVE }

    public AclRule {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(pattern, "pattern");
        if (maxQos != null && (maxQos < 0 || maxQos > 2)) {
            throw new IllegalArgumentException("maxQos must be 0, 1 or 2, was " + maxQos);
        }
    }

    public static AclRule of(Effect effect, Action action, String pattern, int priority) {
        return new AclRule(effect, action, AclPattern.compile(pattern), priority, null, null);
    }

    /**
     * The suite's one rule mapper: a rule as the auth-service stores it and sends it to the brokers (effect and action
     * as enum constant names, the pattern as written) to a rule to evaluate. The broker maps the rules of every
     * login with it and the auth-service's explain endpoint the very same rules, so both evaluate alike. Fails safe:
     * an effect other than {@code ALLOW} (an unknown value from a newer peer) denies.
     *
     * @param maxQos the QoS ceiling, or null for none
     * @param allowRetain whether retained publishes are allowed, or null for yes
     * @throws IllegalArgumentException for an action other than PUBLISH, SUBSCRIBE or RECEIVE, or a maxQos outside
     *     0..2
     * @throws dev.mqttsuite.topic.InvalidTopicException for an invalid pattern
     */
    public static AclRule fromNames(String effect, String action, String pattern, int priority, Integer maxQos,
            Boolean allowRetain) {
        Effect mappedEffect = Effect.ALLOW.name().equals(effect) ? Effect.ALLOW : Effect.DENY;
        Action mappedAction;
        try {
            mappedAction = Action.valueOf(action);
        } catch (IllegalArgumentException | NullPointerException unknown) {
            throw new IllegalArgumentException("unknown ACL action " + action + " (PUBLISH, SUBSCRIBE or RECEIVE)");
        }
        return new AclRule(mappedEffect, mappedAction, AclPattern.compile(pattern), priority, maxQos, allowRetain);
    }

    @Override
    public String toString() {
        return effect + " " + action + " " + pattern + " (priority " + priority
                + (maxQos == null ? "" : ", max QoS " + maxQos) + (allowRetain == null ? "" : ", retain " + allowRetain)
                + ")";
    }
}
