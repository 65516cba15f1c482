package dev.mqttsuite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated bootstrap admin password is owner-only from its creation and never written to the log. */
class BootstrapAdminPasswordTest {

    @TempDir
    Path dir;

    private BootstrapAdminIdentityProvider provider() {
        return new BootstrapAdminIdentityProvider() {
            @Override
            protected String username() {
                return "admin";
            }

            @Override
            protected Optional<String> configuredPassword() {
                return Optional.empty();
            }

            @Override
            protected Path dataDir() {
                return dir;
            }

            @Override
            protected Set<String> roles() {
                return Set.of("mqtt-admin");
            }

            @Override
            protected String passwordVariable() {
                return "TEST_ADMIN_PASSWORD";
            }
        };
    }

    @Test
    void theGeneratedPasswordIsStoredOwnerOnlyAndNotLogged() throws Exception {
        StringBuilder logged = new StringBuilder();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.append(record.getMessage()).append(' ');
                if (record.getParameters() != null) {
                    for (Object p : record.getParameters()) {
                        logged.append(p).append(' ');
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            provider().ensurePassword();
        } finally {
            root.removeHandler(capture);
        }
        Path file = dir.resolve("admin-password");
        String password = Files.readString(file).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(logged.toString()).as("the log names the file").contains("admin-password")
                .doesNotContain(password);
        assertThat(Files.list(dir)).as("no temporary copy left").hasSize(1);
    }
}
