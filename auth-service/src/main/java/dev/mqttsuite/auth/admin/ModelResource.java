package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.model.ExpectedVersion;
import dev.mqttsuite.auth.model.ModelException;
import dev.mqttsuite.auth.model.ModelService;
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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The CRUD shape shared by roles, groups and users: list, get with ETag, create (201 + Location + ETag), update and
 * delete with If-Match, each change announced to the brokers on the change stream after it committed.
 *
 * @param <E> the entity
 * @param <D> its JSON shape
 */
public abstract class ModelResource<E, D> {

    @Inject
    ModelService model;

    @Inject
    ChangeBus changes;

    @Inject
    SecurityIdentity caller;

    /** "role", "group", "user": for messages, subjects and the Location header. */
    protected abstract String kind();

    protected abstract List<E> all();

    protected abstract E find(String name);

    protected abstract String nameOf(E entity);

    protected abstract long versionOf(E entity);

    protected abstract D toDto(E entity);

    protected abstract E create(String actor, D dto);

    protected abstract E update(String actor, String name, ExpectedVersion expected, D dto);

    protected abstract void delete(String actor, String name, ExpectedVersion expected);

    protected String actor() {
        return caller.getPrincipal().getName();
    }

    private void announce(String name) {
        changes.changed(Set.of(kind() + ":" + name));
    }

    @GET
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public List<D> list() {
        return all().stream().map(this::toDto).toList();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({"${auth.admin.read-role}", "${auth.admin.write-role}"})
    public Response get(@PathParam("name") String name) {
        E entity = find(name);
        if (entity == null) {
            throw ModelException.notFound(kind() + " " + name);
        }
        return Response.ok(toDto(entity)).tag(Etags.of(versionOf(entity))).build();
    }

    @POST
    @RolesAllowed("${auth.admin.write-role}")
    public Response create(D dto) {
        E entity = create(actor(), dto);
        announce(nameOf(entity));
        return Response.created(URI.create("/api/v1/" + kind() + "s/" + nameOf(entity))).entity(toDto(entity))
                .tag(Etags.of(versionOf(entity))).build();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response update(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch, D dto) {
        E entity = update(actor(), name, Etags.expected(ifMatch), dto);
        announce(name);
        return Response.ok(toDto(entity)).tag(Etags.of(versionOf(entity))).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed("${auth.admin.write-role}")
    public Response delete(@PathParam("name") String name, @HeaderParam("If-Match") String ifMatch) {
        delete(actor(), name, Etags.expected(ifMatch));
        announce(name);
        return Response.noContent().build();
    }
}
