package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.AuditEntry;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The audit log: who changed what, when; newest first, filtered by entity kind, name, actor and time. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public List<Dtos.AuditDto> list(@QueryParam("entity") String entity, @QueryParam("name") String name,
            @QueryParam("actor") String actor, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw Problem.invalid("limit", "limit is 1..1000");
        }
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (entity != null) {
            where.add("entity = :entity");
            params.put("entity", entity);
        }
        if (name != null) {
            where.add("name = :name");
            params.put("name", name);
        }
        if (actor != null) {
            where.add("actor = :actor");
            params.put("actor", actor);
        }
        if (since != null) {
            try {
                params.put("since", Instant.parse(since));
            } catch (java.time.format.DateTimeParseException e) {
                throw Problem.invalid("since", "since is an ISO-8601 instant, e.g. 2026-11-25T12:00:00Z");
            }
            where.add("at >= :since");
        }
        String query = where.isEmpty() ? "" : String.join(" and ", where);
        return AuditEntry.<AuditEntry>find(query, Sort.descending("id"), params).page(Page.ofSize(limit)).list()
                .stream().map(a -> new Dtos.AuditDto(a.id, a.at.toString(), a.actor, a.action, a.entity, a.name,
                        a.detail)).toList();
    }
}
