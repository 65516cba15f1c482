package dev.mqttsuite.broker.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sessions of this broker: discarded on request. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionsResource {

    @Inject
    AdminActions actions;

    @Inject
    SecurityIdentity identity;

    @DELETE
    @Path("/{clientId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Discard a session; a connected one gets 409 unless force=true, which kicks it first")
    public void discard(@PathParam("clientId") String clientId,
            @QueryParam("force") @DefaultValue("false") boolean force) {
        actions.discard(clientId, force, identity.getPrincipal().getName());
    }
}
