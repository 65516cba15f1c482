package dev.mqttsuite.broker.admin;

import dev.mqttsuite.admin.AdminTokenAudience;
import dev.mqttsuite.admin.BootstrapAdminIdentityProvider;
import dev.mqttsuite.broker.config.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import java.util.Set;

/**
 * The broker's bootstrap administrator (roles mqtt-admin and mqtt-viewer) over HTTP Basic. Its generated password
 * lives beside the session log, in {@code broker.session.data-dir}. Startup fails on a blank user name or a configured
 * password shorter than {@value #MIN_PASSWORD_LENGTH} characters, naming the setting.
 */
@ApplicationScoped
public class AdminIdentityProvider extends BootstrapAdminIdentityProvider {

    static final int MIN_PASSWORD_LENGTH = 12;

    @Inject
    AdminConfig admin;

    @Inject
    BrokerConfig broker;

    @Inject
    Config raw;

    void onStart(@Observes StartupEvent event) {
        AdminTokenAudience.require(raw.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true),
                raw.getOptionalValues(AdminTokenAudience.SETTING, String.class));
        validate(admin);
        ensurePassword();
    }

    /** Refuses unsafe settings with the key named. */
    static void validate(AdminConfig admin) {
        if (admin.username().isBlank()) {
            throw new IllegalStateException("broker.admin.username must not be blank");
        }
        if (admin.password().filter(p -> p.length() < MIN_PASSWORD_LENGTH).isPresent()) {
            throw new IllegalStateException("broker.admin.password (BROKER_ADMIN_PASSWORD) must have at least "
                    + MIN_PASSWORD_LENGTH + " characters; unset it to have a random one generated");
        }
    }

    @Override
    protected String username() {
        return admin.username();
    }

    @Override
    protected Optional<String> configuredPassword() {
        return admin.password();
    }

    @Override
    protected Path dataDir() {
        return Path.of(broker.session().dataDir());
    }

    @Override
    protected Set<String> roles() {
        return Set.of(Roles.ADMIN, Roles.VIEWER);
    }

    @Override
    protected String passwordVariable() {
        return "BROKER_ADMIN_PASSWORD";
    }
}
