package dev.mqttsuite.broker.cluster.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.internal.config.AliasedDiscoveryConfigUtils;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * broker.cluster.* settings become the Hazelcast configuration they promise: a TCP/IP list, or the Kubernetes discovery
 * of the hazelcast jar in DNS lookup mode with multicast and auto-detection off. No member is started here.
 */
class ClusterMemberConfigTest {

    private static ClusterMember.Settings settings(List<String> members, String dnsService) {
        return new ClusterMember.Settings("mqtt-suite", "broker-1", "127.0.0.1", 5701, members, dnsService,
                "127.0.0.1", 5801, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    @Test
    void givenMembersDiscovery_thenTcpIpJoinOnTheListOnly() {
        JoinConfig join = ClusterMember.hazelcastConfig(settings(List.of("10.0.0.1:5701", "10.0.0.2:5701"), null))
                .getNetworkConfig().getJoin();

        assertThat(join.getTcpIpConfig().isEnabled()).as("TCP/IP join").isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(join.getKubernetesConfig().isEnabled()).as("no Kubernetes discovery").isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).as("no multicast").isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).as("no auto-detection").isFalse();
        join.verify();
    }

    @Test
    void givenDnsDiscovery_thenKubernetesDnsLookupOfTheServiceAtTheClusterPort() {
        Config config = ClusterMember.hazelcastConfig(settings(List.of(), "broker-cluster.mqtt.svc.cluster.local"));
        JoinConfig join = config.getNetworkConfig().getJoin();

        assertThat(join.getKubernetesConfig().isEnabled()).as("Kubernetes discovery").isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .as("DNS lookup mode: no Kubernetes API calls, no permissions")
                .isEqualTo("broker-cluster.mqtt.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).as("members' Hazelcast port")
                .isEqualTo("5701");
        assertThat(join.getTcpIpConfig().isEnabled()).as("one join method only").isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).as("no multicast").isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).as("no auto-detection").isFalse();
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getNetworkConfig().getPublicAddress()).as("announced address").isEqualTo("127.0.0.1:5701");
        join.verify();
    }

    @Test
    void givenDnsDiscovery_thenTheStrategyKnowsEveryPropertyAndResolvesTheNameToMembersAtThePort() {
        JoinConfig join = ClusterMember.hazelcastConfig(settings(List.of(), "localhost")).getNetworkConfig()
                .getJoin();
        List<DiscoveryStrategyConfig> strategies = AliasedDiscoveryConfigUtils.createDiscoveryStrategyConfigs(join);
        assertThat(strategies).hasSize(1);
        HazelcastKubernetesDiscoveryStrategyFactory factory = new HazelcastKubernetesDiscoveryStrategyFactory();
        assertThat(strategies.get(0).getClassName()).as("the strategy the factory makes")
                .isEqualTo(factory.getDiscoveryStrategyType().getName());

        // what Hazelcast's discovery service does at startup: an unknown property would fail the member's start
        Map<String, PropertyDefinition> known = new HashMap<>();
        factory.getConfigurationProperties().forEach(definition -> known.put(definition.key(), definition));
        Map<String, Comparable> properties = new HashMap<>();
        strategies.get(0).getProperties().forEach((key, value) -> {
            assertThat(known).as("property %s is one of the Kubernetes discovery's", key).containsKey(key);
            properties.put(key, known.get(key).typeConverter().convert(value));
        });

        DiscoveryStrategy strategy = factory.newDiscoveryStrategy(null, Logger.getLogger(getClass()), properties);
        strategy.start();
        try {
            List<String> found = new ArrayList<>();
            for (DiscoveryNode node : strategy.discoverNodes()) {
                found.add(node.getPrivateAddress().getPort() + "");
            }
            assertThat(found).as("every address of the name, at broker.cluster.port").isNotEmpty()
                    .allMatch("5701"::equals);
        } finally {
            strategy.destroy();
        }
    }
}
