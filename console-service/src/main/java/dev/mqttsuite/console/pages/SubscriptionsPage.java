package dev.mqttsuite.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.api.Brokers;
import dev.mqttsuite.console.security.Caller;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who subscribes to what, shared groups and their members; publish a test message (admins only). */
@Path("/subscriptions")
public class SubscriptionsPage {

    private static final Comparator<JsonNode> ORDER = Comparator.<JsonNode, String>comparing(
            n -> n.path("filter").asText()).thenComparing(n -> n.path("clientId").asText());

    @Inject
    Template subscriptions;

    @Inject
    Brokers brokers;

    @Inject
    dev.mqttsuite.console.api.AdminApis apis;

    @Inject
    Caller caller;

    @Inject
    Views views;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("q") @DefaultValue("") String q,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("flash") String flash) {
        String authorization = Views.auth(caller);
        Brokers.Page result = brokers.page("/api/v1/subscriptions", Map.of("q", q), Math.max(0, page), 50, ORDER,
                authorization);
        List<String> errors = new ArrayList<>(result.errors());
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (ApiResponse r : brokers.getAll("/api/v1/shared-groups", authorization)) {
            if (!r.ok()) {
                errors.add(r.message());
                continue;
            }
            for (JsonNode g : r.body()) {
                String key = g.path("group").asText() + " " + g.path("filter").asText();
                Map<String, Object> merged = groups.computeIfAbsent(key, k -> new LinkedHashMap<>(Map.of(
                        "group", g.path("group").asText(), "filter", g.path("filter").asText(),
                        "members", new ArrayList<String>())));
                @SuppressWarnings("unchecked")
                List<String> members = (List<String>) merged.get("members");
                g.path("members").forEach(m -> members.add(m.asText()));
            }
        }
        return subscriptions.data("page", "subscriptions").data("flash", flash).data("errors", errors)
                .data("q", q).data("result", result).data("items", views.plainList(result.items()))
                .data("groups", List.copyOf(groups.values()));
    }

    /** A test message through the broker's normal publish path (the first configured broker; clusters forward). */
    @POST
    @Path("/publish")
    public Response publish(@FormParam("topic") String topic, @FormParam("payload") String payload,
            @FormParam("qos") @DefaultValue("0") int qos, @FormParam("retain") String retain) {
        caller.requireAdmin();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", topic);
        body.put("payload", payload == null ? "" : payload);
        body.put("encoding", "utf8");
        body.put("qos", qos);
        body.put("retain", "on".equals(retain));
        ApiResponse r = apis.call("POST", brokers.urls().get(0), "/api/v1/publish", Views.auth(caller), body, null).join();
        if (!r.ok()) {
            return Views.message(false, r.message());
        }
        JsonNode delivered = r.body().path("deliveredTo");
        return Views.message(true, "published to " + topic + (delivered.isNumber()
                ? " (" + delivered.asInt() + " local subscribers)" : ""));
    }
}
