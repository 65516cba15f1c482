package dev.mqttsuite.console.security;

import dev.mqttsuite.console.config.ConsoleConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Restores a form login from Quarkus' encrypted cookie, whose principal is the session id: valid only while the
 * server-side session lives (so logout and the idle timeout end it even if the browser kept the cookie).
 */
@Singleton
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    /** The identity attribute holding the name of the logged-in user. */
    public static final String USER_ATTRIBUTE = "console.user";

    private final ConsoleSessions sessions;
    private final ConsoleConfig config;

    public SessionIdentityProvider(ConsoleSessions sessions, ConsoleConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return sessions.touch(request.getPrincipal())
                .map(s -> Uni.createFrom().item(identity(s, config)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("session ended")));
    }

    static SecurityIdentity identity(ConsoleSessions.Session session, ConsoleConfig config) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(session.id()))
                .addAttribute(USER_ATTRIBUTE, session.username())
                .addRole(config.adminRole())
                .build();
    }
}
