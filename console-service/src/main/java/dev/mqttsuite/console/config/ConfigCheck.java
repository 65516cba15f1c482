package dev.mqttsuite.console.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Refuses to start on settings that would make the console useless or unsafe, naming the setting. */
@Singleton
public class ConfigCheck {

    void check(@Observes StartupEvent event, ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidcEnabled,
            @ConfigProperty(name = "quarkus.http.auth.permission.pages.auth-mechanism")
            java.util.Optional<String> pagesMechanism) {
        List<String> errors = new ArrayList<>();
        url(errors, "console.auth-service-url", config.authServiceUrl());
        url(errors, "console.retained-store-url", config.retainedStoreUrl());
        config.bridgeUrl().ifPresent(u -> url(errors, "console.bridge-url", u));
        if (config.brokerUrls().isEmpty()) {
            errors.add("console.broker-urls must name at least one broker");
        }
        config.brokerUrls().forEach(u -> url(errors, "console.broker-urls", u));
        if (config.sessionTimeout().isNegative() || config.sessionTimeout().isZero()) {
            errors.add("console.session-timeout must be positive");
        }
        if (config.overviewSamples() < 2 || config.overviewSamples() > 1000) {
            errors.add("console.overview-samples must be 2..1000");
        }
        if (config.login() == ConsoleConfig.Login.OIDC && !oidcEnabled) {
            errors.add("console.login=oidc needs quarkus.oidc.tenant-enabled=true and quarkus.oidc.auth-server-url");
        }
        String mechanism = pagesMechanism.orElse("");
        String expected = config.login() == ConsoleConfig.Login.OIDC ? "code" : "form";
        if (!mechanism.isEmpty() && !expected.equals(mechanism)) {
            errors.add("console.login=" + config.login().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs quarkus.http.auth.permission.pages.auth-mechanism=" + expected + ", not '" + mechanism + "'");
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("invalid console settings: " + String.join("; ", errors));
        }
    }

    private static void url(List<String> errors, String key, URI uri) {
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            errors.add(key + " must be an http(s) URL, not '" + uri + "'");
        }
    }
}
