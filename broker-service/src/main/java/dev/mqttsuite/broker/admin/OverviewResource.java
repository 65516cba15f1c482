package dev.mqttsuite.broker.admin;

import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.server.BrokerAssembly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This broker at a glance (the console adds up the brokers it knows). */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "overview")
public class OverviewResource {

    @Inject
    BrokerView view;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "Node, version, uptime, connections, sessions, subscriptions and message totals since start")
    public Dtos.Overview overview() {
        BrokerAssembly core = view.core();
        BrokerMetrics m = core.metrics();
        long sessions = core.sessions().size();
        long connections = m.connectionCount();
        return new Dtos.Overview(view.node(), version,
                (System.currentTimeMillis() - core.startedAtMillis()) / 1000, connections, sessions,
                Math.max(0, sessions - connections), core.routes().size(),
                core.config().retained().backend().name().toLowerCase(Locale.ROOT), m.messagesReceived(),
                m.messagesSent(), m.droppedTotal(), view.clusterMembers());
    }
}
