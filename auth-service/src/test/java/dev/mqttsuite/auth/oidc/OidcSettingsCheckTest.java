package dev.mqttsuite.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OidcSettingsCheckTest {

    private static Function<String, Optional<List<String>>> settings(Map<String, List<String>> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void tokenLoginWithoutAudience_failsNamingTheSetting() {
        assertThat(OidcSettingsCheck.problems(true, List.of("mqtt", "partner"), "oidc:", false,
                settings(Map.of("quarkus.oidc.mqtt.token.audience", List.of("mqtt-broker")))))
                .singleElement().asString().startsWith("quarkus.oidc.partner.token.audience must be set");
    }

    @Test
    void audienceAny_isRefused() {
        assertThat(OidcSettingsCheck.problems(true, List.of("mqtt"), "oidc:", false,
                settings(Map.of("quarkus.oidc.mqtt.token.audience", List.of("any")))))
                .singleElement().asString().contains("quarkus.oidc.mqtt.token.audience=any");
    }

    @Test
    void enabledAdminTenantWithoutAudience_failsNamingTheSetting() {
        assertThat(OidcSettingsCheck.problems(false, List.of("mqtt"), "oidc:", true, settings(Map.of())))
                .singleElement().asString().startsWith("quarkus.oidc.token.audience must be set");
    }

    @Test
    void emptyUserPrefix_isRefusedWithTokenLogin() {
        assertThat(OidcSettingsCheck.problems(true, List.of("mqtt"), "", false,
                settings(Map.of("quarkus.oidc.mqtt.token.audience", List.of("mqtt-broker")))))
                .singleElement().asString().startsWith("auth.oidc.user-prefix must not be empty");
    }

    @Test
    void disabledTenants_needNoAudience_andConfiguredOnesPass() {
        assertThat(OidcSettingsCheck.problems(false, List.of("mqtt"), "", false, settings(Map.of()))).isEmpty();
        assertThat(OidcSettingsCheck.problems(true, List.of("mqtt"), "oidc:", true, settings(Map.of(
                "quarkus.oidc.mqtt.token.audience", List.of("mqtt-broker"),
                "quarkus.oidc.token.audience", List.of("admin-api"))))).isEmpty();
    }
}
