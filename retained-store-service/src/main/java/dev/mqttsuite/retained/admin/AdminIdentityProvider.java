package dev.mqttsuite.retained.admin;

import dev.mqttsuite.admin.AdminTokenAudience;
import dev.mqttsuite.admin.BootstrapAdminIdentityProvider;
import dev.mqttsuite.retained.config.StoreConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import java.util.Set;

/** The retained store's bootstrap administrator (roles mqtt-admin and mqtt-viewer). */
@ApplicationScoped
public class AdminIdentityProvider extends BootstrapAdminIdentityProvider {

    @Inject
    StoreConfig config;

    @Inject
    Config raw;

    void onStart(@Observes StartupEvent event) {
        AdminTokenAudience.require(raw.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true),
                raw.getOptionalValues(AdminTokenAudience.SETTING, String.class));
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
        return Path.of(config.dataDir());
    }

    @Override
    protected Set<String> roles() {
        return Set.of(Roles.ADMIN, Roles.VIEWER);
    }

    @Override
    protected String passwordVariable() {
        return "RETAINED_ADMIN_PASSWORD";
    }
}
