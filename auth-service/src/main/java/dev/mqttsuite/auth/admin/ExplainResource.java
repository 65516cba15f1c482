package dev.mqttsuite.auth.admin;

import dev.mqttsuite.acl.AclDecision;
import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.acl.AclVariables;
import dev.mqttsuite.auth.authorization.PermissionCompiler;
import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.UserEntity;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** "What may client X (user U) do on topic T?" evaluated exactly as the brokers evaluate it, with the deciding rule. */
@Path("/api/v1/explain")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    @Inject
    PermissionCompiler compiler;

    @GET
    @Transactional
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Dtos.ExplainDto explain(@QueryParam("username") String username, @QueryParam("clientId") String clientId,
            @QueryParam("topic") String topic, @QueryParam("action") @DefaultValue("PUBLISH") String action,
            @QueryParam("qos") @DefaultValue("0") int qos, @QueryParam("retain") @DefaultValue("false") boolean retain,
            @QueryParam("groups") List<String> tokenGroups, @QueryParam("roles") List<String> tokenRoles) {
        if (topic == null) {
            throw Problem.invalid("topic", "topic is required");
        }
        if (clientId == null) {
            throw Problem.invalid("clientId", "clientId is required");
        }
        boolean anonymous = username == null || username.isEmpty();
        UserEntity user = anonymous ? null : UserEntity.findById(username);
        Identity identity = Identity.newBuilder().setKind(anonymous ? "anonymous" : "password")
                .setUsername(anonymous ? "" : username).setClientId(clientId)
                .addAllTokenGroups(tokenGroups == null ? List.of() : tokenGroups)
                .addAllTokenRoles(tokenRoles == null ? List.of() : tokenRoles).build();
        if (anonymous && !AnonymousEntity.get().enabled) {
            return new Dtos.ExplainDto(false, "anonymous access is disabled", null, false, List.of());
        }
        PermissionCompiler.Compiled compiled = compiler.compile(identity, user, anonymous);
        boolean superuser = user != null && user.superuser;
        AclRuleSet rules = superuser ? AclRuleSet.superuser() : AclRuleSet.compile(compiled.aclRules(),
                AclVariables.of(anonymous ? null : username, clientId, Map.of()));
        AclDecision decision = switch (action.toUpperCase()) {
            case "PUBLISH" -> rules.checkPublish(TopicName.of(topic), qos, retain);
            case "SUBSCRIBE" -> rules.checkSubscribe(TopicFilter.of(topic), qos);
            case "RECEIVE" -> rules.checkReceive(TopicName.of(topic));
            default -> throw Problem.invalid("action", "action is PUBLISH, SUBSCRIBE or RECEIVE");
        };
        List<Dtos.RuleDto> ruleDtos = compiled.rules().stream().map(r -> new Dtos.RuleDto(
                dev.mqttsuite.auth.model.RuleSpec.Effect.valueOf(r.getEffect().name()),
                dev.mqttsuite.auth.model.RuleSpec.Action.valueOf(r.getAction().name()), r.getPattern(),
                r.hasMaxQos() ? r.getMaxQos() : null, r.hasAllowRetain() ? r.getAllowRetain() : null)).toList();
        return new Dtos.ExplainDto(decision.allowed(), decision.reason(),
                decision.rule() == null ? null : decision.rule().toString(), superuser, ruleDtos);
    }
}
