package dev.mqttsuite.auth.oidc;

import dev.mqttsuite.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start with token login that would accept tokens issued for any other application of the identity
 * provider: every enabled tenant (each MQTT tenant when {@code auth.oidc.enabled=true}, the admin API's default tenant
 * when {@code quarkus.oidc.tenant-enabled=true}) must name its expected audience in
 * {@code quarkus.oidc[.<tenant>].token.audience}; Quarkus OIDC then refuses tokens whose {@code aud} claim does not
 * contain it. The value {@code any} (which turns the check off) is refused as well.
 */
@ApplicationScoped
public class OidcSettingsCheck {

    @Inject
    AuthConfig config;

    @Inject
    Config raw;

    void onStart(@Observes StartupEvent event) {
        List<String> problems = problems(config.oidc().enabled(), config.oidc().mqttTenants(),
                config.oidc().userPrefix(), raw.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class)
                        .orElse(true),
                key -> raw.getOptionalValues(key, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Unsafe OIDC settings: " + String.join("; ", problems));
        }
    }

    /**
     * What is wrong with the OIDC settings, each message naming its setting; empty when they are safe.
     *
     * @param values a setting's list value by key (empty when unset)
     */
    static List<String> problems(boolean tokenLogin, List<String> mqttTenants, String userPrefix,
            boolean adminTenantEnabled, Function<String, Optional<List<String>>> values) {
        List<String> problems = new ArrayList<>();
        if (tokenLogin) {
            for (String tenant : mqttTenants) {
                audienceProblem("quarkus.oidc." + tenant + ".token.audience", values).ifPresent(problems::add);
            }
            if (userPrefix.isBlank()) {
                problems.add("auth.oidc.user-prefix must not be empty: token users would share the names of local"
                        + " device accounts");
            }
        }
        if (adminTenantEnabled) {
            audienceProblem("quarkus.oidc.token.audience", values).ifPresent(problems::add);
        }
        return problems;
    }

    private static Optional<String> audienceProblem(String key, Function<String, Optional<List<String>>> values) {
        List<String> audience = values.apply(key).orElse(List.of()).stream().map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        if (audience.isEmpty()) {
            return Optional.of(key + " must be set (the audience your identity provider puts into tokens for this"
                    + " service), otherwise tokens issued for any other application would be accepted");
        }
        if (audience.stream().anyMatch(a -> a.equalsIgnoreCase("any"))) {
            return Optional.of(key + "=any turns the audience check off: name the expected audience");
        }
        return Optional.empty();
    }
}
