package dev.mqttsuite.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.bridge.route.Routes;
import dev.mqttsuite.bridge.route.Side;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeConfigValidatorTest {

    private static BridgeConfig config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(BridgeConfig.class)
                // Quarkus' duration format ("60s"), as in the service
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(map, "test", 500)).build();
        return c.getConfigMapping(BridgeConfig.class);
    }

    @Test
    void aValidBridgeYieldsItsRoutes() {
        Map<String, Routes> routes = BridgeConfigValidator.validate(config(
                "bridge.bridges.edge.remote.host", "central",
                "bridge.bridges.edge.direction", "both",
                "bridge.bridges.edge.topics[0].filter", "a/#",
                "bridge.bridges.edge.topics[1].filter", "cmd/#",
                "bridge.bridges.edge.topics[1].direction", "IN",
                "bridge.bridges.edge.topics[1].remote-prefix", "site/"));
        Routes edge = routes.get("edge");
        assertThat(edge.all()).hasSize(2);
        assertThat(edge.all().get(0).flowsFrom(Side.LOCAL)).isTrue();
        assertThat(edge.all().get(0).flowsFrom(Side.REMOTE)).isTrue();
        assertThat(edge.all().get(1).flowsFrom(Side.LOCAL)).isFalse();
        assertThat(edge.all().get(1).filterOn(Side.REMOTE).value()).isEqualTo("site/cmd/#");
    }

    @Test
    void noBridgesIsValid() {
        assertThat(BridgeConfigValidator.validate(config())).isEmpty();
    }

    @Test
    void anUnknownDirectionIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> config(
                "bridge.bridges.x.remote.host", "h",
                "bridge.bridges.x.direction", "sideways",
                "bridge.bridges.x.topics[0].filter", "a"))
                .hasMessageContaining("bridge.bridges.x.direction");
    }

    @Test
    void everyProblemIsListedWithItsKey() {
        assertThatThrownBy(() -> BridgeConfigValidator.validate(config(
                "bridge.bridges.x.remote.port", "0",
                "bridge.bridges.x.buffer-size", "0",
                "bridge.bridges.x.topics[0].filter", "a/#/b",
                "bridge.bridges.x.topics[1].qos", "1",
                "bridge.bridges.y.remote.host", "h",
                "bridge.reconnect.jitter", "1.5")))
                .hasMessageContaining("bridge.bridges.x.remote.host is required")
                .hasMessageContaining("bridge.bridges.x.remote.port=0")
                .hasMessageContaining("bridge.bridges.x.buffer-size=0")
                .hasMessageContaining("bridge.bridges.x.topics[0]: filter 'a/#/b'")
                .hasMessageContaining("bridge.bridges.x.topics[1].filter is required")
                .hasMessageContaining("bridge.bridges.y.topics[0].filter is required")
                .hasMessageContaining("bridge.reconnect.jitter=1.5");
    }

    @Test
    void twoBridgesWithTheSameClientIdOnTheSameRemoteAreRefused() {
        assertThatThrownBy(() -> BridgeConfigValidator.validate(config(
                "bridge.bridges.a.remote.host", "h",
                "bridge.bridges.a.remote.client-id", "edge",
                "bridge.bridges.a.topics[0].filter", "a",
                "bridge.bridges.b.remote.host", "h",
                "bridge.bridges.b.remote.client-id", "edge",
                "bridge.bridges.b.topics[0].filter", "b")))
                .hasMessageContaining("take each other's session over");
    }

    @Test
    void aClientCertificateNeedsItsKeyAndTls() {
        assertThatThrownBy(() -> BridgeConfigValidator.validate(config(
                "bridge.bridges.m.remote.host", "h",
                "bridge.bridges.m.remote.tls-cert-file", "/nonexistent/client.pem",
                "bridge.bridges.m.topics[0].filter", "a")))
                .hasMessageContaining("bridge.bridges.m.remote.tls-cert-file is set but TLS is off")
                .hasMessageContaining("bridge.bridges.m.remote.tls-cert-file and bridge.bridges.m.remote.tls-key-file"
                        + " go together");
        assertThatThrownBy(() -> BridgeConfigValidator.validate(config(
                "bridge.bridges.m.remote.host", "h",
                "bridge.bridges.m.remote.tls", "true",
                "bridge.bridges.m.remote.tls-cert-file", "/nonexistent/client.pem",
                "bridge.bridges.m.remote.tls-key-file", "/nonexistent/client.key",
                "bridge.bridges.m.topics[0].filter", "a")))
                .hasMessageContaining("bridge.bridges.m.remote.tls-key-file=/nonexistent/client.key is not a readable file");
    }

    @Test
    void disabledBridgesAreNotChecked() {
        assertThat(BridgeConfigValidator.validate(config("bridge.bridges.off.enabled", "false"))).isEmpty();
    }
}
