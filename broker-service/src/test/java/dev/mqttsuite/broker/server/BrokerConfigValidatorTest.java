package dev.mqttsuite.broker.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.broker.config.BrokerConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unsafe or inconsistent settings stop the broker at startup with the offending key named. */
public class BrokerConfigValidatorTest {

    public static BrokerConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BrokerConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new io.smallrye.config.PropertiesConfigSource(values, "test", 500)).build();
        return config.getConfigMapping(BrokerConfig.class);
    }

    @Test
    void defaults_areValid() {
        assertThatCode(() -> BrokerConfigValidator.validate(config(Map.of()))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "broker.mqtt.port, 70000, broker.mqtt.port",
        "broker.limits.max-qos, 3, broker.limits.max-qos",
        "broker.limits.receive-maximum, 0, broker.limits.receive-maximum",
        "broker.limits.max-packet-size, 10, broker.limits.max-packet-size",
        "broker.limits.max-client-id-length, 10, broker.limits.max-client-id-length",
        "broker.session.backpressure-low-watermark, 5000, broker.session.backpressure-low-watermark",
        "broker.session.backpressure-high-watermark, 20000, broker.session.backpressure-high-watermark",
        "broker.tls.enabled, true, broker.tls",
        "broker.websocket.port, 70000, broker.websocket.port",
        "broker.websocket.tls-port, -2, broker.websocket.tls-port",
        "broker.websocket.path, mqtt, broker.websocket.path",
        "broker.websocket.path, /mqtt?x=1, broker.websocket.path",
        "broker.auth.max-concurrent, 0, broker.auth.max-concurrent",
        "broker.auth.cache-ttl, -1s, broker.auth.cache-ttl",
        "broker.auth.cache-size, 0, broker.auth.cache-size"
    })
    void invalidSetting_failsStartupNamingTheKey(String key, String value, String named) {
        assertThatThrownBy(() -> BrokerConfigValidator.validate(config(Map.of(key, value))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(named);
    }

    @Test
    void unknownCertificateUserField_failsStartupNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of("broker.tls.user-field", "subject")))
                .hasMessageContaining("broker.tls.user-field");
    }

    @ParameterizedTest(name = "broker.tls.user-field={0}")
    @CsvSource({"cn, CN", "san-dns, SAN_DNS", "san-email, SAN_EMAIL", "san-uri, SAN_URI"})
    void certificateUserField_takesEachDocumentedValue(String value, BrokerConfig.Tls.UserField field) {
        org.assertj.core.api.Assertions.assertThat(config(Map.of("broker.tls.user-field", value)).tls().userField())
                .isEqualTo(field);
    }

    @Test
    void negativeTlsReloadInterval_isRefused() {
        assertThatThrownBy(() -> BrokerConfigValidator.validate(config(Map.of("broker.tls.enabled", "true",
                "broker.tls.cert-file", "c.pem", "broker.tls.key-file", "k.pem", "broker.tls.reload-interval", "-1s"))))
                .hasMessageContaining("broker.tls.reload-interval");
    }

    @Test
    void tlsClientAuthWithoutTrustFile_isRefused() {
        assertThatThrownBy(() -> BrokerConfigValidator.validate(config(Map.of("broker.tls.enabled", "true",
                "broker.tls.cert-file", "c.pem", "broker.tls.key-file", "k.pem", "broker.tls.client-auth", "required"))))
                .hasMessageContaining("broker.tls.trust-file");
    }
}
