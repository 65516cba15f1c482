package dev.mqttsuite.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.server.BrokerService;
import dev.mqttsuite.broker.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** With broker.cluster.enabled=false (the default) the single broker starts nothing of the cluster. */
@QuarkusTest
class ClusterOffTest {

    @Inject
    BrokerService broker;

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @Test
    void givenClusterOff_thenNoHazelcastMemberRunsAndReadinessSaysSo() {
        assertThat(broker.cluster()).as("no cluster object").isNull();
        assertThat(Thread.getAllStackTraces().keySet()).as("no Hazelcast thread (they are named hz.*)")
                .noneMatch(t -> t.getName().startsWith("hz."));
        assertThat(Http.get(readiness).body().replaceAll("\\s", "")).contains("\"name\":\"cluster\",\"status\":\"UP\"")
                .contains("\"enabled\":false");
    }
}
