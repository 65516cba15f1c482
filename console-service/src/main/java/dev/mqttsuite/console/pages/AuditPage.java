package dev.mqttsuite.console.pages;

import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.config.ConsoleConfig;
import dev.mqttsuite.console.security.Caller;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's audit log (the auth-service's), filtered by entity, name, actor and time. */
@Path("/audit")
public class AuditPage {

    @Inject
    Template audit;

    @Inject
    AdminApis apis;

    @Inject
    ConsoleConfig config;

    @Inject
    Caller caller;

    @Inject
    Views views;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("entity") @DefaultValue("") String entity,
            @QueryParam("name") @DefaultValue("") String name, @QueryParam("actor") @DefaultValue("") String actor,
            @QueryParam("since") @DefaultValue("") String since, @QueryParam("limit") @DefaultValue("100") int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("entity", entity);
        filters.put("name", name);
        filters.put("actor", actor);
        filters.put("since", since);
        filters.put("limit", Math.max(1, Math.min(1000, limit)));
        ApiResponse r = apis.get(config.authServiceUrl(), "/api/v1/audit" + AdminApis.query(filters),
                Views.auth(caller)).join();
        return audit.data("page", "audit").data("flash", null).data("errors", r.ok() ? List.of() : List.of(r.message()))
                .data("entries", r.ok() ? views.plain(r.body()) : List.of()).data("f", filters);
    }
}
