package dev.mqttsuite.console.security;

import dev.mqttsuite.console.config.ConsoleConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;
import java.util.Optional;

/**
 * The logged-in operator of the current request, and the credentials the console forwards to the admin APIs on their
 * behalf: the user's own bearer token (OIDC) or the Basic credentials of their server-side form session. The console
 * has no credentials of its own, so it can do nothing the user could not do with curl.
 */
@RequestScoped
@jakarta.inject.Named("caller")
public class Caller {

    private final SecurityIdentity identity;
    private final ConsoleSessions sessions;
    private final ConsoleConfig config;
    private final CsrfTokens csrf;

    public Caller(SecurityIdentity identity, ConsoleSessions sessions, ConsoleConfig config, CsrfTokens csrf) {
        this.identity = identity;
        this.sessions = sessions;
        this.config = config;
        this.csrf = csrf;
    }

    /** The name shown in the page header. */
    public String name() {
        String user = identity.getAttribute(SessionIdentityProvider.USER_ATTRIBUTE);
        return user != null ? user : identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public boolean admin() {
        return identity.hasRole(config.adminRole());
    }

    /** Refuses the request (403) unless the caller is an admin: viewers are read-only. */
    public void requireAdmin() {
        if (!admin()) {
            throw new ForbiddenException("viewers are read-only: this needs the role " + config.adminRole());
        }
    }

    /** The form session id, when logged in with the form. */
    public Optional<String> sessionId() {
        return identity.getAttribute(SessionIdentityProvider.USER_ATTRIBUTE) == null ? Optional.empty()
                : Optional.of(identity.getPrincipal().getName());
    }

    /** The Authorization header value to forward, if the caller has credentials. */
    public Optional<String> authorization() {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (token != null) {
            return Optional.of("Bearer " + token.getToken());
        }
        return sessionId().flatMap(sessions::touch).map(ConsoleSessions.Session::authorization);
    }

    /** The CSRF token to send back with state-changing requests (header {@value CsrfTokens#HEADER}). */
    public String csrfToken() {
        return identity.isAnonymous() ? "" : csrf.tokenFor(identity.getPrincipal().getName());
    }

    public boolean oidc() {
        return config.login() == ConsoleConfig.Login.OIDC;
    }
}
