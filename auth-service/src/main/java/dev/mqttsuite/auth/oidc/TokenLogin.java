package dev.mqttsuite.auth.oidc;

import dev.mqttsuite.auth.config.AuthConfig;
import io.quarkus.arc.Arc;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Validates an access token from the corporate identity provider with Quarkus OIDC: signature through the
 * provider's discovery document and JWKS (cached, re-fetched on an unknown key id), issuer, audience, expiry and
 * not-before, for each configured MQTT tenant (one per trusted issuer) in turn.
 */
@ApplicationScoped
public class TokenLogin {

    private static final Logger LOG = Logger.getLogger(TokenLogin.class);

    /** What a valid token says about its holder. */
    public record TokenIdentity(String username, List<String> groups, List<String> roles, Map<String, String> claims,
            long expiresAtMillis) {
    }

    @Inject
    AuthConfig config;

    /** The default MQTT tenant; also makes {@code @Tenant} a known qualifier for the programmatic look-ups below. */
    @Inject
    @io.quarkus.oidc.Tenant("mqtt")
    TenantIdentityProvider mqttTenant;

    /** The token's identity, or empty when no tenant accepts it. Blocks (call from a worker thread). */
    public Optional<TokenIdentity> validate(String token) {
        if (!config.oidc().enabled()) {
            return Optional.empty();
        }
        for (String tenant : config.oidc().mqttTenants()) {
            TenantIdentityProvider provider = tenant.equals("mqtt") ? mqttTenant
                    : Arc.container().select(TenantIdentityProvider.class, new TenantLiteral(tenant)).get();
            try {
                SecurityIdentity identity = provider.authenticate(new AccessTokenCredential(token)).await()
                        .atMost(Duration.ofSeconds(10));
                if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt) {
                    return Optional.of(toIdentity(jwt, identity));
                }
            } catch (RuntimeException rejected) {
                LOG.debugf("tenant %s rejected the token: %s", tenant, rejected.toString());
            }
        }
        return Optional.empty();
    }

    private TokenIdentity toIdentity(JsonWebToken jwt, SecurityIdentity identity) {
        String username = stringClaim(jwt, config.oidc().usernameClaim()).orElse(jwt.getSubject());
        List<String> groups = listClaim(jwt, config.oidc().groupsClaim());
        List<String> roles = new ArrayList<>(listClaim(jwt, config.oidc().rolesClaim()));
        for (String role : identity.getRoles()) {
            if (!roles.contains(role)) {
                roles.add(role);
            }
        }
        Map<String, String> claims = new LinkedHashMap<>();
        for (String name : jwt.getClaimNames()) {
            Object value = jwt.getClaim(name);
            if (value instanceof String s) {
                claims.put(name, s);
            } else if (value instanceof jakarta.json.JsonString js) {
                claims.put(name, js.getString());
            }
        }
        return new TokenIdentity(username, groups.stream().map(g -> g.startsWith("/") ? g.substring(1) : g).toList(),
                roles, claims, jwt.getExpirationTime() * 1000);
    }

    private static Optional<String> stringClaim(JsonWebToken jwt, String path) {
        Object value = claimAt(jwt, path);
        if (value instanceof String s) {
            return Optional.of(s);
        }
        if (value instanceof jakarta.json.JsonString js) {
            return Optional.of(js.getString());
        }
        return Optional.empty();
    }

    /** A claim that is a list of strings, at a dotted path ("realm_access.roles"). */
    private static List<String> listClaim(JsonWebToken jwt, String path) {
        Object value = claimAt(jwt, path);
        List<String> out = new ArrayList<>();
        if (value instanceof jakarta.json.JsonArray array) {
            array.forEach(v -> out.add(v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()));
        } else if (value instanceof Iterable<?> iterable) {
            iterable.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    private static Object claimAt(JsonWebToken jwt, String path) {
        String[] parts = path.split("\\.");
        Object current = jwt.getClaim(parts[0]);
        for (int i = 1; i < parts.length && current != null; i++) {
            if (current instanceof jakarta.json.JsonObject object) {
                current = object.get(parts[i]);
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(parts[i]);
            } else {
                return null;
            }
        }
        return current;
    }
}
