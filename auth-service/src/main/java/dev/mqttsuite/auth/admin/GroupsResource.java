package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.model.GroupEntity;
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

/** Groups (local, or named like a token group claim) and the roles their members get. */
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {

    @Inject
    ModelService model;

    @Inject
    ChangeBus changes;

    @Inject
    SecurityIdentity caller;

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public List<Dtos.GroupDto> list() {
        return GroupEntity.<GroupEntity>listAll().stream().map(Dtos.GroupDto::of).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Response get(@PathParam("name") String name) {
        GroupEntity group = GroupEntity.findById(name);
        if (group == null) {
            throw Problem.notFound("group " + name);
        }
        return Response.ok(Dtos.GroupDto.of(group)).tag(Etags.of(group.version)).build();
    }

    @POST
    @RolesAllowed("${auth.admin.write-role}")
    public Response create(Dtos.GroupDto dto) {
        GroupEntity group = model.createGroup(caller.getPrincipal().getName(), dto);
        changes.changed(Set.of("group:" + group.name));
        return Response.created(URI.create("/api/v1/groups/" + group.name)).entity(Dtos.GroupDto.of(group))
                .tag(Etags.of(group.version)).build();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, Dtos.GroupDto dto) {
        GroupEntity group = model.updateGroup(caller.getPrincipal().getName(), name, ifMatch, dto);
        changes.changed(Set.of("group:" + name));
        return Response.ok(Dtos.GroupDto.of(group)).tag(Etags.of(group.version)).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        model.deleteGroup(caller.getPrincipal().getName(), name, ifMatch);
        changes.changed(Set.of("group:" + name));
        return Response.noContent().build();
    }
}
