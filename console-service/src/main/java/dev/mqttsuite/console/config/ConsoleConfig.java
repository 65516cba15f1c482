package dev.mqttsuite.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The console's settings ({@code console.*}); every key is listed with its default in application.properties. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    /** Base URL of the auth-service (its admin API under /api/v1: users, groups, roles, anonymous, explain, audit). */
    URI authServiceUrl();

    /** Base URL of the retained-store-service (its admin API under /api/v1/retained). */
    URI retainedStoreUrl();

    /** Base URLs of the brokers whose admin API (/api/v1) the console aggregates. */
    List<URI> brokerUrls();

    /** Base URL of the bridge-service (health and metrics), when bridges run. */
    Optional<URI> bridgeUrl();

    /** How the operators log in: "form" (the bootstrap admin) or "oidc" (corporate SSO). */
    @WithDefault("form")
    Login login();

    /** Idle time after which a form login's server-side session (with its credentials) is dropped. */
    @WithDefault("30M")
    Duration sessionTimeout();

    /** Timeout of one call to a service's admin API (creating a user hashes its password: seconds on a busy host). */
    @WithDefault("15S")
    Duration apiTimeout();

    /** How often the live overview refreshes. */
    @WithDefault("2S")
    Duration overviewInterval();

    /** How many samples the overview's time series keep (one per interval). */
    @WithDefault("60")
    int overviewSamples();

    /** Role that may change things (kick, discard, publish, delete, edit access control). */
    @WithDefault("mqtt-admin")
    String adminRole();

    /** Role that may only read. */
    @WithDefault("mqtt-viewer")
    String viewerRole();

    enum Login { FORM, OIDC }
}
