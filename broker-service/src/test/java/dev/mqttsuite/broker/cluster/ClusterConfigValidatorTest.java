package dev.mqttsuite.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad broker.cluster.* settings stop the broker at startup with the key named; none are checked when it is off. */
class ClusterConfigValidatorTest {

    private static Map<String, String> on(String key, String value) {
        Map<String, String> settings = new HashMap<>(Map.of("broker.cluster.enabled", "true"));
        settings.put(key, value);
        return settings;
    }

    @Test
    void givenDefaultsWithClusterOn_thenValid() {
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(
                Map.of("broker.cluster.enabled", "true", "broker.cluster.members", "127.0.0.1:5701,127.0.0.1:5702"))
                .cluster())).isEmpty();
    }

    @Test
    void givenClusterOff_thenNothingIsChecked() {
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(
                Map.of("broker.cluster.port", "99999")).cluster())).isEmpty();
    }

    @Test
    void givenDnsDiscoveryWithAServiceName_thenValid() {
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(Map.of(
                "broker.cluster.enabled", "true", "broker.cluster.discovery", "dns",
                "broker.cluster.dns-service", "broker-cluster.mqtt.svc.cluster.local")).cluster())).isEmpty();
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(Map.of(
                "broker.cluster.enabled", "true", "broker.cluster.discovery", "DNS",
                "broker.cluster.dns-service", "broker-cluster")).cluster())).as("a name relative to the pod's namespace")
                .isEmpty();
    }

    @Test
    void givenDnsDiscoveryWithoutAServiceName_thenTheProblemNamesDnsService() {
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(
                on("broker.cluster.discovery", "dns")).cluster()))
                .singleElement().asString().contains("broker.cluster.dns-service");
    }

    @ParameterizedTest(name = "discovery {0} with {1}={2} is refused")
    @CsvSource(delimiter = ';', value = {
        "dns; broker.cluster.dns-service=broker-cluster:5701; broker.cluster.dns-service",
        "dns; broker.cluster.dns-service=http://broker-cluster; broker.cluster.dns-service",
        "dns; broker.cluster.members=10.0.0.1:5701; broker.cluster.members",
        "dns; broker.cluster.port=0; broker.cluster.port",
        "members; broker.cluster.dns-service=broker-cluster; broker.cluster.dns-service"
    })
    void givenADiscoveryWithAnotherDiscoverysSetting_thenTheProblemNamesTheKey(String discovery, String setting,
            String named) {
        Map<String, String> settings = on("broker.cluster.discovery", discovery);
        if ("dns".equals(discovery)) {
            settings.put("broker.cluster.dns-service", "broker-cluster");
        }
        settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(settings).cluster()))
                .anyMatch(problem -> problem.contains(named));
    }

    @ParameterizedTest(name = "expected-members={0} needs {1} brokers for a session claim")
    @CsvSource({"0, 0", "2, 2", "3, 2", "4, 3", "5, 3"})
    void givenExpectedMembers_thenClaimsNeedAMajority(String expected, int quorum) {
        assertThat(ClusterConfigValidator.claimQuorum(BrokerConfigValidatorTest.config(
                on("broker.cluster.expected-members", expected)).cluster())).isEqualTo(quorum);
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = ';', value = {
        "broker.cluster.members; 127.0.0.1:5701,localhost; broker.cluster.members",
        "broker.cluster.members; 127.0.0.1:70000; broker.cluster.members",
        "broker.cluster.host; 0.0.0.0; broker.cluster.host",
        "broker.cluster.host; broker.example; broker.cluster.host",
        "broker.cluster.port; 70000; broker.cluster.port",
        "broker.cluster.grpc-port; 5701; broker.cluster.grpc-port",
        "broker.cluster.node-id; bad id!; broker.cluster.node-id",
        "broker.cluster.name; bad name; broker.cluster.name",
        "broker.cluster.failure-timeout; 1s; broker.cluster.failure-timeout",
        "broker.cluster.forward.window; 0; broker.cluster.forward.window",
        "broker.cluster.forward.batch-size; 5000; broker.cluster.forward.batch-size",
        "broker.cluster.forward.batch-bytes; 10; broker.cluster.forward.batch-bytes",
        "broker.cluster.expected-members; -1; broker.cluster.expected-members",
        "broker.cluster.expected-members; 1; broker.cluster.expected-members"
    })
    void givenBadSetting_thenTheProblemNamesTheKey(String key, String value, String named) {
        assertThat(ClusterConfigValidator.problems(BrokerConfigValidatorTest.config(on(key, value)).cluster()))
                .anyMatch(problem -> problem.contains(named));
    }
}
