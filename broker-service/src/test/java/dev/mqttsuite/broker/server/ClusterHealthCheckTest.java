package dev.mqttsuite.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The readiness check "cluster" before the broker has a cluster object. */
class ClusterHealthCheckTest {

    private static HealthCheckResponse check(String clusterEnabled) {
        ClusterHealthCheck check = new ClusterHealthCheck();
        check.broker = new BrokerService(); // not started: no cluster yet
        check.config = BrokerConfigValidatorTest.config(Map.of("broker.cluster.enabled", clusterEnabled));
        return check.call();
    }

    @Test
    void givenClusterEnabled_whenTheBrokerHasNotJoinedYet_thenNotReady() {
        assertThat(check("true").getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void givenClusterOff_thenReady() {
        assertThat(check("false").getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
