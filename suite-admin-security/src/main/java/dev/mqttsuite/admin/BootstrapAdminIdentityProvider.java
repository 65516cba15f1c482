package dev.mqttsuite.admin;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The bootstrap administrator of a service's admin API, for installations without an identity provider (HTTP Basic).
 * The password comes from configuration, or is generated at first start, stored with owner-only permissions in the
 * data directory (mode 0600 from its creation) and never logged; there is never a hard-coded password. Each service subclasses it as a bean.
 */
public abstract class BootstrapAdminIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(BootstrapAdminIdentityProvider.class);

    private volatile byte[] password;

    /** The administrator's user name. */
    protected abstract String username();

    /** The configured password, if any. */
    protected abstract Optional<String> configuredPassword();

    /** Where a generated password is kept. */
    protected abstract Path dataDir();

    /** The roles the administrator gets. */
    protected abstract Set<String> roles();

    /** The environment variable that sets the password, for the log line. */
    protected abstract String passwordVariable();

    private byte[] password() {
        byte[] current = password;
        if (current == null) {
            synchronized (this) {
                if (password == null) {
                    password = configuredPassword().orElseGet(this::generated).getBytes(StandardCharsets.UTF_8);
                }
                current = password;
            }
        }
        return current;
    }

    private String generated() {
        Path file = dataDir().resolve("admin-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // owner-only from its creation: never readable by others, not even for a moment
            Path tmp = file.resolveSibling("admin-password.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException nonPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, value + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // the password itself is never logged: logs are collected, shipped and read by many
            LOG.warnf("Generated the admin password (user '%s'), stored owner-only in %s; set %s to choose one",
                    username(), file, passwordVariable());
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the generated admin password in " + file, e);
        }
    }

    /** Creates the password file at startup (so that it can be printed before the first request). */
    public void ensurePassword() {
        password();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        if (username().equals(request.getUsername()) && MessageDigest.isEqual(password(), given)) {
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(request.getUsername()));
            roles().forEach(identity::addRole);
            return Uni.createFrom().item(identity.build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("bad credentials"));
    }
}
