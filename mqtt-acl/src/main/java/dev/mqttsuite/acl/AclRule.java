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

    @Override
    public String toString() {
        return effect + " " + action + " " + pattern + " (priority " + priority
                + (maxQos == null ? "" : ", max QoS " + maxQos) + (allowRetain == null ? "" : ", retain " + allowRetain)
                + ")";
    }
}
