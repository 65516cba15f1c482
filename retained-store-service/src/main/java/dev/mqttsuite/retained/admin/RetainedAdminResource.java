package dev.mqttsuite.retained.admin;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.RetainedStoreHolder;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Admin API of the retained store: list by filter with paging, get one, delete one, delete by filter, stats.
 * Readers need {@code mqtt-viewer} (metadata only: no payloads), payloads and deletions {@code mqtt-admin}. Invalid
 * topics and filters answer {@code application/problem+json} naming the broken rule.
 */
@Path("/api/v1/retained")
@Produces(MediaType.APPLICATION_JSON)
public class RetainedAdminResource {

    /**
     * A retained message as the admin API shows it: payload base64 for {@code mqtt-admin} only (null for
     * {@code mqtt-viewer}, who sees topic, size, QoS, properties and expiry but never what devices sent).
     */
    public record RetainedView(String topic, int qos, String payloadBase64, int payloadSize, String contentType,
            String responseTopic, long expiresAtMillis) {
        static RetainedView of(RetainedMessage m, boolean withPayload) {
            return new RetainedView(m.getTopic(), m.getQos(),
                    withPayload ? Base64.getEncoder().encodeToString(m.getPayload().toByteArray()) : null,
                    m.getPayload().size(), m.hasContentType() ? m.getContentType() : null,
                    m.hasResponseTopic() ? m.getResponseTopic() : null, m.getExpiresAtMillis());
        }
    }

    /** A page of results in topic order; {@code next} is the cursor of the following page, null at the end. */
    public record Page(List<RetainedView> items, String next) {
    }

    public record Stats(long count, long payloadBytes) {
    }

    public record Deleted(long deleted) {
    }

    @Inject
    RetainedStoreHolder store;

    @Inject
    SecurityIdentity caller;

    /** Payloads are what devices sent: only admins read them. */
    private boolean mayReadPayloads() {
        return caller.hasRole(Roles.ADMIN);
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "List retained messages matching a topic filter, in topic order, a page at a time")
    public Page list(@QueryParam("filter") @DefaultValue("#") String filter,
            @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new jakarta.ws.rs.BadRequestException("limit must be 1..1000");
        }
        TopicFilter parsed = TopicFilter.of(filter);
        TreeSet<String> page = new TreeSet<>();
        java.util.Map<String, RetainedMessage> byTopic = new java.util.HashMap<>();
        Iterator<RetainedMessage> matches = store.repository().match(parsed);
        while (matches.hasNext()) {
            RetainedMessage m = matches.next();
            if (after != null && m.getTopic().compareTo(after) <= 0) {
                continue;
            }
            page.add(m.getTopic());
            byTopic.put(m.getTopic(), m);
            if (page.size() > limit) {
                byTopic.remove(page.pollLast());
            }
        }
        List<RetainedView> items = new ArrayList<>();
        boolean withPayload = mayReadPayloads();
        for (String topic : page) {
            items.add(RetainedView.of(byTopic.get(topic), withPayload));
        }
        String next = items.size() == limit ? items.get(items.size() - 1).topic() : null;
        return new Page(items, next);
    }

    @GET
    @Path("/message")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "The retained message of one topic")
    public RetainedView get(@QueryParam("topic") String topic) {
        TopicName.of(topic);
        boolean withPayload = mayReadPayloads();
        return store.repository().get(topic).map(m -> RetainedView.of(m, withPayload))
                .orElseThrow(() -> new NotFoundException("no retained message on " + topic));
    }

    @DELETE
    @Path("/message")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete the retained message of one topic")
    public Deleted delete(@QueryParam("topic") String topic) {
        TopicName.of(topic);
        boolean deleted = store.repository().put(RetainedMessage.newBuilder().setTopic(topic)
                .setPayload(ByteString.EMPTY).build()).toCompletableFuture().join();
        return new Deleted(deleted ? 1 : 0);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete every retained message matching a topic filter")
    public Deleted deleteMatching(@QueryParam("filter") String filter) {
        if (filter == null) {
            throw new jakarta.ws.rs.BadRequestException("the filter parameter is required (use '#' for everything)");
        }
        return new Deleted(store.repository().deleteMatching(TopicFilter.of(filter)));
    }

    @GET
    @Path("/stats")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "Retained message count and payload bytes")
    public Stats stats() {
        return new Stats(store.repository().count(), store.repository().payloadBytes());
    }
}
