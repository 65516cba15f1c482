package dev.mqttsuite.admin;

import java.util.List;
import java.util.Optional;

/**
 * The admin APIs' rule for OIDC bearer tokens: when the default OIDC tenant is enabled, the audience the identity
 * provider puts into tokens for this service must be configured ({@code quarkus.oidc.token.audience}); otherwise a
 * token issued for any other application of the same provider, carrying the right roles, would be accepted. The
 * value {@code any} (which turns Quarkus' check off) is refused as well. Services call it at startup.
 */
public final class AdminTokenAudience {

    /** The setting this rule is about. */
    public static final String SETTING = "quarkus.oidc.token.audience";

    private AdminTokenAudience() {
    }

    /** What is wrong, naming the setting; empty when the settings are safe. */
    public static Optional<String> problem(boolean tenantEnabled, Optional<List<String>> audience) {
        if (!tenantEnabled) {
            return Optional.empty();
        }
        List<String> values = audience.orElse(List.of()).stream().map(String::trim).filter(a -> !a.isEmpty())
                .toList();
        if (values.isEmpty()) {
            return Optional.of(SETTING + " must be set when quarkus.oidc.tenant-enabled=true (the audience your identity"
                    + " provider puts into tokens for this service), otherwise tokens issued for any other application"
                    + " would be accepted by the admin API");
        }
        if (values.stream().anyMatch(a -> a.equalsIgnoreCase("any"))) {
            return Optional.of(SETTING + "=any turns the audience check off: name the expected audience");
        }
        return Optional.empty();
    }

    /** Stops the start with the problem, if there is one. */
    public static void require(boolean tenantEnabled, Optional<List<String>> audience) {
        problem(tenantEnabled, audience).ifPresent(p -> {
            throw new IllegalStateException("Unsafe admin API OIDC settings: " + p);
        });
    }
}
