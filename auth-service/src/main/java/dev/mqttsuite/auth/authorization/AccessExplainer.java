package dev.mqttsuite.auth.authorization;

import dev.mqttsuite.acl.AclDecision;
import dev.mqttsuite.acl.AclRule;
import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.acl.AclVariables;
import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.ModelException;
import dev.mqttsuite.auth.model.UserEntity;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.auth.v1.Rule;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "What may client X (user U) do on topic T?", answered exactly as a broker answers it: the identity's rules as a broker
 * receives them, mapped and evaluated by the shared {@code mqtt-acl} code, with the deciding rule.
 */
@ApplicationScoped
public class AccessExplainer {

    /**
     * @param rule the deciding rule as text, or null (default deny, superuser, anonymous access disabled)
     * @param rules every rule of the identity, in the form brokers receive them
     */
    public record Explanation(boolean allowed, String reason, String rule, boolean superuser, List<Rule> rules) {
    }

    @Inject
    PermissionCompiler compiler;

    /**
     * @param username the user, or null/empty for the anonymous principal
     * @param action PUBLISH, SUBSCRIBE or RECEIVE (any case)
     * @throws ModelException {@code INVALID} naming {@code action} for another action
     * @throws dev.mqttsuite.topic.InvalidTopicException when the topic is not a valid name (or filter, for SUBSCRIBE)
     */
    @Transactional
    public Explanation explain(String username, String clientId, List<String> tokenGroups, List<String> tokenRoles,
            String topic, String action, int qos, boolean retain) {
        boolean anonymous = username == null || username.isEmpty();
        UserEntity user = anonymous ? null : UserEntity.findById(username);
        Identity identity = Identity.newBuilder().setKind(anonymous ? "anonymous" : "password")
                .setUsername(anonymous ? "" : username).setClientId(clientId)
                .addAllTokenGroups(tokenGroups == null ? List.of() : tokenGroups)
                .addAllTokenRoles(tokenRoles == null ? List.of() : tokenRoles).build();
        if (anonymous && !AnonymousEntity.get().enabled) {
            return new Explanation(false, "anonymous access is disabled", null, false, List.of());
        }
        PermissionCompiler.Compiled compiled = compiler.compile(identity, user, anonymous);
        boolean superuser = user != null && user.superuser;
        // the rules exactly as a broker gets them, mapped exactly as a broker maps them
        List<AclRule> aclRules = compiled.rules().stream().map(r -> AclRule.fromNames(r.getEffect().name(),
                r.getAction().name(), r.getPattern(), r.getPriority(), r.hasMaxQos() ? r.getMaxQos() : null,
                r.hasAllowRetain() ? r.getAllowRetain() : null)).toList();
        AclRuleSet rules = superuser ? AclRuleSet.superuser() : AclRuleSet.compile(aclRules,
                AclVariables.of(anonymous ? null : username, clientId, Map.of()));
        AclDecision decision = switch (action.toUpperCase(Locale.ROOT)) {
            case "PUBLISH" -> rules.checkPublish(TopicName.of(topic), qos, retain);
            case "SUBSCRIBE" -> topic.startsWith(SubscriptionTopic.SHARE_PREFIX) // group and filter, as brokers do
                    ? rules.checkSharedSubscribe(SharedSubscription.of(topic), qos)
                    : rules.checkSubscribe(TopicFilter.of(topic), qos);
            case "RECEIVE" -> rules.checkReceive(TopicName.of(topic));
            default -> throw ModelException.invalid("action", "action is PUBLISH, SUBSCRIBE or RECEIVE");
        };
        return new Explanation(decision.allowed(), decision.reason(),
                decision.rule() == null ? null : decision.rule().toString(), superuser, compiled.rules());
    }
}
