package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.authorization.AccessExplainer;
import dev.mqttsuite.auth.model.RuleSpec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** "What may client X (user U) do on topic T?" evaluated exactly as the brokers evaluate it, with the deciding rule. */
@Path("/api/v1/explain")
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    @Inject
    AccessExplainer explainer;

    @GET
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
        AccessExplainer.Explanation explanation = explainer.explain(username, clientId, tokenGroups, tokenRoles, topic,
                action, qos, retain);
        List<Dtos.RuleDto> rules = explanation.rules().stream().map(r -> new Dtos.RuleDto(
                RuleSpec.Effect.valueOf(r.getEffect().name()), RuleSpec.Action.valueOf(r.getAction().name()),
                r.getPattern(), r.hasMaxQos() ? r.getMaxQos() : null, r.hasAllowRetain() ? r.getAllowRetain() : null))
                .toList();
        return new Dtos.ExplainDto(explanation.allowed(), explanation.reason(), explanation.rule(),
                explanation.superuser(), rules);
    }
}
