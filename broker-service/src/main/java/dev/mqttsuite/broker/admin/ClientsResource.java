package dev.mqttsuite.broker.admin;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.will.Will;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The clients of this broker: listed, looked at one by one, kicked. */
@Path("/api/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clients")
public class ClientsResource {

    @Inject
    BrokerView view;

    @Inject
    AdminActions actions;

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "Clients of this broker (sessions, connected or not), sorted by client id, a page at a time")
    public Dtos.Page<Dtos.Client> list(@QueryParam("q") String query,
            @QueryParam("state") @DefaultValue("all") String state,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size,
            @Parameter(description = "cursor: the clients after this client id (page is then not used)")
            @QueryParam("after") String after,
            @Parameter(description = "cursor: the last clients before this client id (page is then not used)")
            @QueryParam("before") String before) {
        Paging.check(page, size);
        if (after != null && before != null) {
            throw Problems.badRequest("after", "after and before exclude each other");
        }
        return view.clients(Paging.blankToNull(query), BrokerView.State.parse(state), page, size, after, before);
    }

    @GET
    @Path("/{clientId}")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "One client with its subscriptions and will (never the will's payload)")
    public CompletionStage<Dtos.ClientDetail> get(@PathParam("clientId") String clientId) {
        Session session = view.session(clientId);
        if (session == null) {
            throw Problems.notFound("no client " + clientId + " on this broker");
        }
        MqttConnection connection = view.connection(session);
        if (connection == null) {
            return CompletableFuture.completedFuture(
                    new Dtos.ClientDetail(view.describe(session), BrokerView.subscriptions(session), null));
        }
        // the will belongs to the connection's event loop: read it there
        CompletableFuture<Dtos.ClientDetail> detail = new CompletableFuture<>();
        connection.transport().execute(() -> {
            try {
                detail.complete(new Dtos.ClientDetail(view.describe(session), BrokerView.subscriptions(session),
                        will(connection.will())));
            } catch (RuntimeException e) {
                detail.completeExceptionally(e);
            }
        });
        return detail;
    }

    private static Dtos.Will will(Will will) {
        return will == null ? null : new Dtos.Will(will.message().topic().value(), will.message().qos(),
                will.message().retain(), will.delaySeconds(), will.message().payload().length);
    }

    @DELETE
    @Path("/{clientId}/connection")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Kick: MQTT 5 clients get DISCONNECT 0x98 Administrative action, 3.1.1 clients are closed;"
            + " a persistent session stays")
    public void kick(@PathParam("clientId") String clientId) {
        actions.kick(clientId, identity.getPrincipal().getName());
    }
}
