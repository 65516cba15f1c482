package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.model.RoleEntity;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;

/** Roles and their prioritised rules. Changes reach connected sessions through the change stream. */
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
public class RolesResource {

    @Inject
    ModelService model;

    @Inject
    ChangeBus changes;

    @Inject
    SecurityIdentity caller;

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public List<Dtos.RoleDto> list() {
        return RoleEntity.<RoleEntity>listAll().stream().map(Dtos.RoleDto::of).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Response get(@PathParam("name") String name) {
        RoleEntity role = RoleEntity.findById(name);
        if (role == null) {
            throw Problem.notFound("role " + name);
        }
        return Response.ok(Dtos.RoleDto.of(role)).tag(Etags.of(role.version)).build();
    }

    @POST
    @RolesAllowed("${auth.admin.write-role}")
    public Response create(Dtos.RoleDto dto) {
        RoleEntity role = model.createRole(caller.getPrincipal().getName(), dto);
        changes.changed(Set.of("role:" + role.name));
        return Response.created(URI.create("/api/v1/roles/" + role.name)).entity(Dtos.RoleDto.of(role))
                .tag(Etags.of(role.version)).build();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, Dtos.RoleDto dto) {
        RoleEntity role = model.updateRole(caller.getPrincipal().getName(), name, ifMatch, dto);
        changes.changed(Set.of("role:" + name));
        return Response.ok(Dtos.RoleDto.of(role)).tag(Etags.of(role.version)).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        model.deleteRole(caller.getPrincipal().getName(), name, ifMatch);
        changes.changed(Set.of("role:" + name));
        return Response.noContent().build();
    }
}
