package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.model.UserEntity;
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

/**
 * Users: devices with credentials (the password is only ever stored as a salted hash and never returned) and OIDC
 * subjects with local groups and roles. Disabling or deleting a user disconnects its sessions.
 */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    ModelService model;

    @Inject
    ChangeBus changes;

    @Inject
    SecurityIdentity caller;

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public List<Dtos.UserDto> list() {
        return UserEntity.<UserEntity>listAll().stream().map(Dtos.UserDto::of).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Response get(@PathParam("name") String name) {
        UserEntity user = UserEntity.findById(name);
        if (user == null) {
            throw Problem.notFound("user " + name);
        }
        return Response.ok(Dtos.UserDto.of(user)).tag(Etags.of(user.version)).build();
    }

    @POST
    @RolesAllowed("${auth.admin.write-role}")
    public Response create(Dtos.UserDto dto) {
        UserEntity user = model.createUser(caller.getPrincipal().getName(), dto);
        changes.changed(Set.of("user:" + user.username));
        return Response.created(URI.create("/api/v1/users/" + user.username)).entity(Dtos.UserDto.of(user))
                .tag(Etags.of(user.version)).build();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, Dtos.UserDto dto) {
        UserEntity user = model.updateUser(caller.getPrincipal().getName(), name, ifMatch, dto);
        changes.changed(Set.of("user:" + name));
        return Response.ok(Dtos.UserDto.of(user)).tag(Etags.of(user.version)).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        model.deleteUser(caller.getPrincipal().getName(), name, ifMatch);
        changes.changed(Set.of("user:" + name));
        return Response.noContent().build();
    }
}
