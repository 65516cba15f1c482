package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.cluster.BrokerCluster;
import dev.mqttsuite.broker.config.BrokerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this broker joined its cluster, loaded the routes and routes what peers forward; down while it is still
 * joining; always up when the cluster is off.
 */
@Readiness
@ApplicationScoped
public class ClusterHealthCheck implements HealthCheck {

    @Inject
    BrokerService broker;

    @Inject
    BrokerConfig config;

    @Override
    public HealthCheckResponse call() {
        BrokerCluster cluster = broker.cluster();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster");
        if (cluster == null) {
            boolean enabled = config.cluster().enabled(); // enabled: not joined yet
            return response.status(!enabled).withData("enabled", enabled).build();
        }
        return response.status(cluster.isReady())
                .withData("enabled", true)
                .withData("node", cluster.nodeId())
                .withData("members", cluster.members())
                .withData("grpcPort", cluster.grpcPort())
                .build();
    }
}
