package dev.mqttsuite.console.security;

import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.config.ConsoleConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Form login ({@code j_security_check}): the user name and password are verified by the auth-service's admin API
 * (the console keeps no user list of its own), then kept server-side in a {@link ConsoleSessions} session. Only the
 * bootstrap admin authenticates with a password on the admin APIs, so a form login is an admin.
 */
@Singleton
public class FormLoginIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(FormLoginIdentityProvider.class);

    private final AdminApis apis;
    private final ConsoleSessions sessions;
    private final ConsoleConfig config;

    public FormLoginIdentityProvider(AdminApis apis, ConsoleSessions sessions, ConsoleConfig config) {
        this.apis = apis;
        this.sessions = sessions;
        this.config = config;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        if (config.login() != ConsoleConfig.Login.FORM) {
            return Uni.createFrom().failure(new AuthenticationFailedException("form login is disabled"));
        }
        String username = request.getUsername();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + new String(request.getPassword().getPassword())).getBytes(StandardCharsets.UTF_8));
        return Uni.createFrom().completionStage(apis.verify(authorization)).onItem().transform(status -> {
            if (status != 200) {
                LOG.infof("console login refused for user '%s' (auth-service answered %d)", username, status);
                throw new AuthenticationFailedException("bad credentials");
            }
            ConsoleSessions.Session session = sessions.open(username, authorization);
            LOG.infof("console login of user '%s'", username);
            return SessionIdentityProvider.identity(session, config);
        });
    }
}
