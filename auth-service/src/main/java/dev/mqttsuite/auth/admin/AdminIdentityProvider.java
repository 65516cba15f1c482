package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.config.AuthConfig;
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
 * The bootstrap administrator for installations without an identity provider (HTTP Basic; both admin roles). Its
 * password comes from {@code auth.admin.password} (env {@code AUTH_ADMIN_PASSWORD}) or is generated at first start,
 * stored owner-only under the data directory and printed once; never hard-coded. With an identity provider, admins
 * use bearer tokens carrying the configured roles instead.
 */
@ApplicationScoped
public class AdminIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(AdminIdentityProvider.class);

    @Inject
    AuthConfig config;

    private byte[] password;

    @PostConstruct
    void init() {
        password = config.admin().password().orElseGet(this::generated).getBytes(StandardCharsets.UTF_8);
    }

    private String generated() {
        Path file = Path.of(config.dataDir()).resolve("admin-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, value + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            LOG.warnf("Generated the auth-service admin password (user '%s'): %s  (stored in %s; set"
                    + " AUTH_ADMIN_PASSWORD to choose one)", config.admin().username(), value, file);
            return value;
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
                    .addRole(config.admin().writeRole()).addRole(config.admin().readRole()).build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("bad credentials"));
    }
}
