package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.cluster.BrokerCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once this broker joined its cluster and routes what peers forward; always up when the cluster is off. */
@Readiness
@ApplicationScoped
public class ClusterHealthCheck implements HealthCheck {

    @Inject
    BrokerService broker;

    @Override
    public HealthCheckResponse call() {
        BrokerCluster cluster = broker.cluster();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster");
        if (cluster == null) {
            return response.up().withData("enabled", false).build();
        }
        return response.status(cluster.isReady())
                .withData("enabled", true)
                .withData("node", cluster.nodeId())
                .withData("members", cluster.members())
                .withData("grpcPort", cluster.grpcPort())
                .build();
    }
}
