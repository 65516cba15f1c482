package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.ModelService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/** The anonymous principal: disabled by default; when enabled, clients without credentials get its roles. */
@Path("/api/v1/anonymous")
@Produces(MediaType.APPLICATION_JSON)
public class AnonymousResource {

    @Inject
    ModelService model;

    @Inject
    ChangeBus changes;

    @Inject
    SecurityIdentity caller;

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Response get() {
        AnonymousEntity anonymous = AnonymousEntity.get();
        return Response.ok(Dtos.AnonymousDto.of(anonymous)).tag(Etags.of(anonymous.version)).build();
    }

    @PUT
    @RolesAllowed("${auth.admin.write-role}")
    public Response update(@HeaderParam("If-Match") String ifMatch, Dtos.AnonymousDto dto) {
        AnonymousEntity anonymous = model.updateAnonymous(caller.getPrincipal().getName(), Etags.expected(ifMatch),
                dto.draft());
        changes.changed(Set.of("anonymous"));
        return Response.ok(Dtos.AnonymousDto.of(anonymous)).tag(Etags.of(anonymous.version)).build();
    }
}
