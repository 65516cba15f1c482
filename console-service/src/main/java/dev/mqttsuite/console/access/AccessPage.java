package dev.mqttsuite.console.access;

import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.config.ConsoleConfig;
import dev.mqttsuite.console.pages.Views;
import dev.mqttsuite.console.security.Caller;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Access control through the auth-service's admin API: users, groups, roles (with rules) and anonymous access,
 * created and edited with the API's own validation messages and its ETags (If-Match), and "explain".
 */
@Path("/access")
public class AccessPage {

    private static final Set<String> KINDS = Set.of("users", "groups", "roles");

    @Inject
    Template access;

    @Inject
    Template entity;

    @Inject
    Template explain;

    @Inject
    AdminApis apis;

    @Inject
    ConsoleConfig config;

    @Inject
    Caller caller;

    @Inject
    Views views;

    private URI auth() {
        return config.authServiceUrl();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("flash") String flash) {
        String authorization = Views.auth(caller);
        CompletableFuture<ApiResponse> users = apis.get(auth(), "/api/v1/users", authorization);
        CompletableFuture<ApiResponse> groups = apis.get(auth(), "/api/v1/groups", authorization);
        CompletableFuture<ApiResponse> roles = apis.get(auth(), "/api/v1/roles", authorization);
        CompletableFuture<ApiResponse> anonymous = apis.get(auth(), "/api/v1/anonymous", authorization);
        List<String> errors = new ArrayList<>();
        for (CompletableFuture<ApiResponse> r : List.of(users, groups, roles, anonymous)) {
            if (!r.join().ok()) {
                errors.add(r.join().message());
            }
        }
        return access.data("page", "access").data("flash", flash).data("errors", errors.stream().distinct().toList())
                .data("users", views.plain(users.join().body())).data("groups", views.plain(groups.join().body()))
                .data("roles", views.plain(roles.join().body()))
                .data("anonymous", views.plain(anonymous.join().body()))
                .data("anonymousEtag", anonymous.join().etag());
    }

    @GET
    @Path("/{kind}/{name}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance edit(@PathParam("kind") String kind, @PathParam("name") String name) {
        checkKind(kind);
        ApiResponse r = apis.get(auth(), "/api/v1/" + kind + "/" + AdminApis.enc(name), Views.auth(caller)).join();
        Object item = views.plain(r.body());
        String rules = item instanceof Map<?, ?> m ? RulesText.format(m.get("rules")) : "";
        return entity.data("page", "access").data("flash", null)
                .data("errors", r.ok() ? List.of() : List.of(r.message())).data("kind", kind).data("name", name)
                .data("item", item).data("etag", r.etag()).data("rulesText", rules);
    }

    @POST
    @Path("/{kind}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@PathParam("kind") String kind, MultivaluedMap<String, String> form) {
        return save(kind, null, form);
    }

    @POST
    @Path("/{kind}/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("kind") String kind, @PathParam("name") String name,
            MultivaluedMap<String, String> form) {
        return save(kind, name, form);
    }

    /** Create ({@code name} null: POST) or update (PUT with the form's ETag as If-Match). */
    private Response save(String kind, String name, MultivaluedMap<String, String> form) {
        caller.requireAdmin();
        checkKind(kind);
        Map<String, Object> body;
        try {
            body = body(kind, form);
        } catch (IllegalArgumentException e) {
            return Views.message(false, e.getMessage());
        }
        if (name != null) {
            body.put(nameField(kind), name);
        }
        ApiResponse r = name == null
                ? apis.call("POST", auth(), "/api/v1/" + kind, Views.auth(caller), body, null).join()
                : apis.call("PUT", auth(), "/api/v1/" + kind + "/" + AdminApis.enc(name), Views.auth(caller), body,
                        form.getFirst("etag")).join();
        if (r.status() == 412) {
            return Views.message(false, "changed by someone else since you opened it (ETag mismatch): reload");
        }
        return r.ok() ? Views.redirect("/access", (name == null ? "created " : "saved ") + singular(kind) + " "
                + body.get(nameField(kind))) : Views.message(false, r.message());
    }

    @POST
    @Path("/{kind}/{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("kind") String kind, @PathParam("name") String name,
            MultivaluedMap<String, String> form) {
        caller.requireAdmin();
        checkKind(kind);
        ApiResponse r = apis.call("DELETE", auth(), "/api/v1/" + kind + "/" + AdminApis.enc(name),
                Views.auth(caller), null, form == null ? null : form.getFirst("etag")).join();
        return r.ok() ? Views.redirect("/access", "deleted " + singular(kind) + " " + name)
                : Views.message(false, r.message());
    }

    @POST
    @Path("/anonymous")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response anonymous(MultivaluedMap<String, String> form) {
        caller.requireAdmin();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", "on".equals(form.getFirst("enabled")) || "true".equals(form.getFirst("enabled")));
        body.put("roles", RulesText.names(form.getFirst("roles")));
        ApiResponse r = apis.call("PUT", auth(), "/api/v1/anonymous", Views.auth(caller), body,
                form.getFirst("etag")).join();
        return r.ok() ? Views.redirect("/access", "saved anonymous access") : Views.message(false, r.message());
    }

    /** Which rule decides: user, client id, topic, action. */
    @GET
    @Path("/explain")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance explain(@QueryParam("username") String username, @QueryParam("clientId") String clientId,
            @QueryParam("topic") String topic, @QueryParam("action") String action, @QueryParam("qos") Integer qos,
            @QueryParam("retain") String retain) {
        Object result = null;
        List<String> errors = new ArrayList<>();
        if (topic != null && !topic.isBlank()) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("username", username);
            params.put("clientId", clientId == null || clientId.isBlank() ? "console-explain" : clientId);
            params.put("topic", topic);
            params.put("action", action == null ? "PUBLISH" : action);
            params.put("qos", qos == null ? 0 : qos);
            params.put("retain", "on".equals(retain) || "true".equals(retain));
            ApiResponse r = apis.get(auth(), "/api/v1/explain" + AdminApis.query(params), Views.auth(caller)).join();
            if (r.ok()) {
                result = views.plain(r.body());
            } else {
                errors.add(r.message());
            }
        }
        return explain.data("page", "access").data("flash", null).data("errors", errors)
                .data("username", username == null ? "" : username).data("clientId", clientId == null ? "" : clientId)
                .data("topic", topic == null ? "" : topic).data("action", action == null ? "PUBLISH" : action)
                .data("result", result);
    }

    private static Map<String, Object> body(String kind, MultivaluedMap<String, String> form) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (kind) {
            case "roles" -> {
                body.put("name", form.getFirst("name"));
                String priority = form.getFirst("priority");
                if (priority != null && !priority.isBlank()) {
                    try {
                        body.put("priority", Integer.parseInt(priority.strip()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("priority must be a whole number, not '" + priority + "'");
                    }
                }
                body.put("description", form.getFirst("description"));
                body.put("rules", RulesText.parse(form.getFirst("rules")));
            }
            case "groups" -> {
                body.put("name", form.getFirst("name"));
                body.put("description", form.getFirst("description"));
                body.put("roles", RulesText.names(form.getFirst("roles")));
            }
            default -> {
                body.put("username", form.getFirst("username"));
                String password = form.getFirst("password");
                if (password != null && !password.isEmpty()) {
                    body.put("password", password);
                }
                body.put("groups", RulesText.names(form.getFirst("groups")));
                body.put("roles", RulesText.names(form.getFirst("roles")));
                body.put("superuser", "on".equals(form.getFirst("superuser")));
                body.put("disabled", "on".equals(form.getFirst("disabled")));
            }
        }
        return body;
    }

    private static String nameField(String kind) {
        return kind.equals("users") ? "username" : "name";
    }

    private static String singular(String kind) {
        return kind.substring(0, kind.length() - 1);
    }

    private static void checkKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new NotFoundException("no such page");
        }
    }
}
