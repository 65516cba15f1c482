package dev.mqttsuite.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.api.Brokers;
import dev.mqttsuite.console.security.Caller;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Connected clients and offline sessions of every broker; one client's details; kick and discard (admins). */
@Path("/clients")
public class ClientsPage {

    private static final java.util.function.Function<JsonNode, String> CLIENT_ID = n -> n.path("clientId").asText();
    private static final Comparator<JsonNode> BY_CLIENT_ID = Comparator.comparing(CLIENT_ID);

    @Inject
    Template clients;

    @Inject
    Template client;

    @Inject
    Brokers brokers;

    @Inject
    Caller caller;

    @Inject
    Views views;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@QueryParam("q") @DefaultValue("") String q,
            @QueryParam("state") @DefaultValue("all") String state, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size, @QueryParam("after") String after,
            @QueryParam("before") String before, @QueryParam("flash") String flash) {
        if (!List.of("connected", "offline", "all").contains(state)) {
            state = "all";
        }
        page = Math.max(0, page);
        size = Math.max(1, Math.min(Brokers.MAX_PAGE, size));
        boolean cursor = page == 0 || after != null || before != null;
        // pager links carry cursors (after / before a client id): any depth across brokers without skipping;
        // a bare page number (a typed URL) is paged by skipping, which across brokers reaches the first 500 only
        Brokers.Page result = cursor
                ? brokers.cursorPage("/api/v1/clients", Map.of("q", q, "state", state), page, size,
                        after == null || after.isEmpty() ? null : after, before == null || before.isEmpty() ? null
                                : before, CLIENT_ID, Views.auth(caller))
                : brokers.page("/api/v1/clients", Map.of("q", q, "state", state), page, size, BY_CLIENT_ID,
                        Views.auth(caller));
        return clients.data("page", "clients").data("flash", flash).data("errors", result.errors())
                .data("q", q).data("state", state).data("result", result)
                .data("items", views.plainList(result.items()));
    }

    @GET
    @Path("/{clientId}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance one(@PathParam("clientId") String clientId, @QueryParam("flash") String flash) {
        List<String> errors = new ArrayList<>();
        JsonNode found = null;
        for (ApiResponse r : brokers.getAll("/api/v1/clients/" + AdminApis.enc(clientId), Views.auth(caller))) {
            if (r.ok()) {
                found = r.body();
                break;
            }
            if (r.status() != 404) {
                errors.add(r.message());
            }
        }
        if (found == null && errors.isEmpty()) {
            errors.add("no client or session '" + clientId + "' on any broker");
        }
        return client.data("page", "clients").data("flash", flash).data("errors", errors).data("clientId", clientId)
                .data("c", views.plain(found));
    }

    /** Kick: the owning broker disconnects the client (MQTT 5: DISCONNECT 0x98 Administrative action). */
    @POST
    @Path("/{clientId}/kick")
    public Response kick(@PathParam("clientId") String clientId) {
        caller.requireAdmin();
        return onOwner("DELETE", "/api/v1/clients/" + AdminApis.enc(clientId) + "/connection",
                "disconnected client " + clientId, "client " + clientId + " is not connected");
    }

    /** Discard a session (a connected client is kicked first: the operator confirmed). */
    @POST
    @Path("/{clientId}/discard")
    public Response discard(@PathParam("clientId") String clientId) {
        caller.requireAdmin();
        return onOwner("DELETE", "/api/v1/sessions/" + AdminApis.enc(clientId) + "?force=true",
                "discarded the session of " + clientId, "no session " + clientId);
    }

    private Response onOwner(String method, String path, String done, String notFound) {
        List<String> errors = new ArrayList<>();
        for (ApiResponse r : brokers.callAll(method, path, Views.auth(caller), null)) {
            if (r.ok()) {
                return Views.redirect("/clients", done);
            }
            if (r.status() != 404) {
                errors.add(r.message());
            }
        }
        return Views.message(false, errors.isEmpty() ? notFound : String.join("; ", errors));
    }
}
