package dev.mqttsuite.console.pages;

import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.config.ConsoleConfig;
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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retained messages through the retained store's admin API: browse by topic filter (topics, sizes; payloads hidden),
 * view a payload (admins only: payloads can be sensitive) and delete.
 */
@Path("/retained")
public class RetainedPage {

    @Inject
    Template retained;

    @Inject
    Template retainedMessage;

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
    public TemplateInstance list(@QueryParam("filter") @DefaultValue("#") String filter,
            @QueryParam("after") String after, @QueryParam("flash") String flash) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("after", after);
        query.put("limit", 50);
        ApiResponse r = apis.get(config.retainedStoreUrl(), "/api/v1/retained" + AdminApis.query(query),
                Views.auth(caller)).join();
        Object items = r.ok() ? views.plain(r.body().path("items")) : List.of();
        String next = r.ok() ? r.body().path("next").asText(null) : null;
        return retained.data("page", "retained").data("flash", flash)
                .data("errors", r.ok() ? List.of() : List.of(r.message())).data("filter", filter)
                .data("items", items).data("next", next);
    }

    /** One message with its payload: admins only (viewers get 403). */
    @GET
    @Path("/message")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance message(@QueryParam("topic") @DefaultValue("") String topic) {
        caller.requireAdmin();
        ApiResponse r = apis.get(config.retainedStoreUrl(), "/api/v1/retained/message"
                + AdminApis.query(Map.of("topic", topic)), Views.auth(caller)).join();
        String text = null;
        String base64 = null;
        if (r.ok()) {
            base64 = r.body().path("payloadBase64").asText("");
            text = utf8(Base64.getDecoder().decode(base64));
        }
        return retainedMessage.data("page", "retained").data("flash", null)
                .data("errors", r.ok() ? List.of() : List.of(r.message())).data("topic", topic)
                .data("m", views.plain(r.body())).data("text", text).data("base64", base64);
    }

    @POST
    @Path("/delete")
    public Response delete(@FormParam("topic") String topic) {
        caller.requireAdmin();
        ApiResponse r = apis.call("DELETE", config.retainedStoreUrl(), "/api/v1/retained/message"
                + AdminApis.query(Map.of("topic", topic == null ? "" : topic)), Views.auth(caller), null, null).join();
        return r.ok() ? Views.redirect("/retained", "deleted the retained message of " + topic)
                : Views.message(false, r.message());
    }

    /** The payload as text when it is valid UTF-8, else null (shown as base64). */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }
}
