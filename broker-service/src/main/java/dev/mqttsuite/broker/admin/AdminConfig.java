package dev.mqttsuite.broker.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The broker admin API's bootstrap administrator (prefix {@code broker.admin}); defaults and comments in
 * {@code application.properties}. OIDC bearer tokens are configured with {@code quarkus.oidc.*}.
 */
@ConfigMapping(prefix = "broker.admin")
public interface AdminConfig {

    /** The bootstrap administrator's user name (HTTP Basic). */
    @WithDefault("admin")
    String username();

    /**
     * Its password ({@code BROKER_ADMIN_PASSWORD}); unset: a random one is generated into
     * {@code <broker.session.data-dir>/admin-password} (0600), never logged.
     */
    Optional<String> password();
}
