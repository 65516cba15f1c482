package dev.mqttsuite.broker.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Publishes a message through the broker's normal path (routing, retained store, cluster forwarding). */
@Path("/api/v1/publish")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "publish")
public class PublishResource {

    @Inject
    AdminActions actions;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Publish a message (payload utf8 or base64, QoS 0..2, retain); 202 with the local"
            + " subscriber count")
    public CompletionStage<Response> publish(Dtos.PublishRequest request) {
        return actions.publish(request, identity.getPrincipal().getName())
                .thenApply(result -> Response.accepted(result).build());
    }
}
