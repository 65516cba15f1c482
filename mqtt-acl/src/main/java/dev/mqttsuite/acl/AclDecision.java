package dev.mqttsuite.acl;

/**
 * The outcome of one check, with the reason: the rule that decided, or none (default deny).
 *
 * @param allowed whether the action is allowed
 * @param rule the deciding rule, or null when no rule matched (default deny) or the principal is a superuser
 * @param reason a human-readable explanation, for the explain endpoint and logs
 */
public record AclDecision(boolean allowed, AclRule rule, String reason) {
}
