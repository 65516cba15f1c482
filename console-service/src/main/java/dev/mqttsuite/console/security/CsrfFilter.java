package dev.mqttsuite.console.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses (403) every state-changing request that does not carry the caller's CSRF token. */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    CsrfTokens tokens;

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        if (identity.isAnonymous()
                || !tokens.valid(identity.getPrincipal().getName(), request.getHeaderString(CsrfTokens.HEADER))) {
            return Response.status(403).type("application/problem+json").entity(Map.of("type", "about:blank",
                    "title", "Forbidden", "status", 403,
                    "detail", "missing or invalid CSRF token (header " + CsrfTokens.HEADER + "): reload the page"))
                    .build();
        }
        return null;
    }
}
