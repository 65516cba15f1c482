package dev.mqttsuite.retained.admin;

import dev.mqttsuite.retained.config.StoreConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The bootstrap administrator of the admin API (HTTP Basic, roles {@code mqtt-admin} and {@code mqtt-viewer}). Its
 * password comes from {@code retained.admin.password} (env {@code RETAINED_ADMIN_PASSWORD}); without one, a random
 * password is generated at first start, stored with owner-only permissions under the data directory and printed
 * once. There is never a hard-coded password.
 */
@ApplicationScoped
public class AdminIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(AdminIdentityProvider.class);

    @Inject
    StoreConfig config;

    private byte[] password;

    @PostConstruct
    void init() {
        password = config.admin().password().orElseGet(this::generatedPassword).getBytes(StandardCharsets.UTF_8);
    }

    private String generatedPassword() {
        Path file = Path.of(config.dataDir()).resolve("admin-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, generated + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            LOG.warnf("Generated the retained-store admin password (user '%s'): %s  (stored in %s; set"
                    + " RETAINED_ADMIN_PASSWORD to choose one)", config.admin().username(), generated, file);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the generated admin password in " + file, e);
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        if (config.admin().username().equals(request.getUsername()) && MessageDigest.isEqual(password, given)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(request.getUsername()))
                    .addRole(Roles.ADMIN).addRole(Roles.VIEWER).build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("bad credentials"));
    }
}
