package dev.mqttsuite.auth.admin;

import dev.mqttsuite.admin.BootstrapAdminIdentityProvider;
import dev.mqttsuite.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The auth-service's bootstrap administrator (both admin roles), for installations without an identity provider;
 * with one, admins use bearer tokens carrying the configured roles.
 */
@ApplicationScoped
public class AdminIdentityProvider extends BootstrapAdminIdentityProvider {

    private static final Logger LOG = Logger.getLogger(AdminIdentityProvider.class);

    @Inject
    AuthConfig config;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("data directory (auth.data-dir): %s", config.dataDir());
        ensurePassword();
    }

    @Override
    protected String username() {
        return config.admin().username();
    }

    @Override
    protected Optional<String> configuredPassword() {
        return config.admin().password();
    }

    @Override
    protected Path dataDir() {
        return config.dataDir();
    }

    @Override
    protected Set<String> roles() {
        return Set.of(config.admin().writeRole(), config.admin().readRole());
    }

    @Override
    protected String passwordVariable() {
        return "AUTH_ADMIN_PASSWORD";
    }
}
