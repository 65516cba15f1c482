package dev.mqttsuite.auth.authorization;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.auth.credentials.LoginThrottle;
import dev.mqttsuite.auth.credentials.PasswordHasher;
import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.UserEntity;
import dev.mqttsuite.auth.oidc.TokenLogin;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.authcache.LoginDecisionCache;
import dev.mqttsuite.reason.ConnackReasonCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Decides CONNECTs: token login (CONNECT password holding a JWT, or MQTT 5 enhanced authentication with
 * {@code auth.oidc.auth-method}), device credentials, client certificates mapped to users, or the anonymous principal;
 * then compiles the identity's rules. Blocking (database, KDF, token validation): called on worker threads.
 */
@ApplicationScoped
public class Authentications {

    @Inject
    AuthConfig config;

    @Inject
    PasswordHasher hasher;

    @Inject
    TokenLogin tokens;

    @Inject
    PermissionCompiler compiler;

    @Inject
    LoginThrottle throttle;

    @Inject
    MeterRegistry registry;

    @Inject
    LoginDecisionCache<AuthenticateReply> loginCache;

    /**
     * Decides a login. A login from an address (or for a user name from that address) whose failed logins used up its
     * bucket is refused at once with 0x9F, without checking the secret; nothing waits.
     */
    public AuthenticateReply authenticate(AuthenticateRequest request) {
        String address = addressOf(request);
        String user = request.hasUsername() ? request.getUsername() : null;
        long now = System.currentTimeMillis();
        LoginThrottle.Verdict verdict = throttle.check(address, user, now);
        if (verdict != LoginThrottle.Verdict.ALLOW) {
            registry.counter("auth.logins", "outcome", "throttled", "kind",
                    verdict == LoginThrottle.Verdict.ADDRESS_THROTTLED ? "address" : "user").increment();
            return denied(ConnackReasonCode.CONNECTION_RATE_EXCEEDED,
                    verdict == LoginThrottle.Verdict.ADDRESS_THROTTLED ? "too many failed logins from this address"
                            : "too many failed logins for this user name from this address");
        }
        AuthenticateReply reply = cachedOrDecide(request);
        boolean allowed = reply.getOutcome() == AuthenticateReply.Outcome.ALLOWED;
        registry.counter("auth.logins", "outcome", allowed ? "allowed" : "denied", "kind",
                allowed ? reply.getIdentity().getKind() : reasonName(reply.getReasonCode())).increment();
        if (allowed) {
            throttle.succeeded(address, user);
        } else {
            throttle.failed(address, user, now);
        }
        return reply;
    }

    /**
     * The remembered decision for these credentials, or null: non-blocking (no database, no KDF), for the event loop.
     * A hit is an ALLOWED login with a secret verified before; a throttled address or user name gets no hit (the
     * blocking path refuses it).
     */
    public AuthenticateReply remembered(AuthenticateRequest request) {
        String cacheKey = cacheKeyOf(request);
        if (cacheKey == null) {
            return null;
        }
        String address = addressOf(request);
        String user = request.hasUsername() ? request.getUsername() : null;
        if (throttle.check(address, user, System.currentTimeMillis()) != LoginThrottle.Verdict.ALLOW) {
            return null;
        }
        AuthenticateReply hit = loginCache.get(cacheKey, System.currentTimeMillis());
        if (hit == null) {
            return null;
        }
        throttle.succeeded(address, user);
        registry.counter("auth.logins", "outcome", "allowed", "kind", hit.getIdentity().getKind()).increment();
        return forClient(hit, request.getClientId());
    }

    private static AuthenticateReply forClient(AuthenticateReply reply, String clientId) {
        return reply.toBuilder().setIdentity(reply.getIdentity().toBuilder().setClientId(clientId)).build();
    }

    /** A remembered decision for the same credentials (reconnect storms), or a fresh one from the model. */
    private AuthenticateReply cachedOrDecide(AuthenticateRequest request) {
        String cacheKey = cacheKeyOf(request);
        long now = System.currentTimeMillis();
        if (cacheKey != null) {
            AuthenticateReply hit = loginCache.get(cacheKey, now);
            if (hit != null) {
                return forClient(hit, request.getClientId());
            }
        }
        long generation = loginCache.generation();
        AuthenticateReply reply = QuarkusTransaction.joiningExisting().call(() -> decide(request));
        if (cacheKey != null) {
            loginCache.put(cacheKey, reply, generation, now);
        }
        return reply;
    }

    /** The login cache key, following the branches of {@link #decide}; null when the login is not cached. */
    private String cacheKeyOf(AuthenticateRequest request) {
        if (request.hasAuthenticationMethod()) {
            return loginCache.keyOf("method\u0000" + request.getAuthenticationMethod(),
                    request.getAuthenticationData().toByteArray());
        }
        if (request.hasUsername() && request.hasPassword()) {
            return loginCache.keyOf("password\u0000" + request.getUsername(), request.getPassword().toByteArray());
        }
        if (request.hasPassword()) {
            return loginCache.keyOf("token", request.getPassword().toByteArray());
        }
        return null; // certificates and anonymous access are cheap to decide
    }

    private AuthenticateReply decide(AuthenticateRequest request) {
        if (request.hasAuthenticationMethod()) {
            if (!config.oidc().enabled() || !config.oidc().authMethod().equals(request.getAuthenticationMethod())) {
                return denied(ConnackReasonCode.BAD_AUTHENTICATION_METHOD,
                        "unsupported authentication method " + request.getAuthenticationMethod());
            }
            return tokenLogin(request, request.getAuthenticationData().toStringUtf8());
        }
        if (request.hasPassword() && config.oidc().enabled() && looksLikeJwt(request.getPassword().toByteArray())) {
            return tokenLogin(request, request.getPassword().toStringUtf8());
        }
        if (request.hasUsername() && request.hasPassword()) {
            // a name in the token namespace is never a local account, whatever the model holds under it
            UserEntity user = inTokenNamespace(request.getUsername()) ? null
                    : UserEntity.findById(request.getUsername());
            char[] password = request.getPassword().toStringUtf8().toCharArray();
            if (user == null || user.disabled) {
                hasher.verifyDummy(password); // the same work as for a real user: timing tells nothing
                return denied(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
            if (!hasher.verify(user.username, password, user.passwordHash)) {
                return denied(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
            return allowed(identity("password", user.username, request.getClientId(), List.of(), List.of()), user,
                    false, 0);
        }
        // the broker forwards the one user name its broker.tls.user-field mapping took from a verified certificate
        for (String name : request.getCertificateIdentitiesList()) {
            UserEntity user = inTokenNamespace(name) ? null : UserEntity.findById(name);
            if (user != null && !user.disabled) {
                return allowed(identity("certificate", user.username, request.getClientId(), List.of(), List.of()),
                        user, false, 0);
            }
        }
        AnonymousEntity anonymous = AnonymousEntity.get();
        if (anonymous.enabled && !request.hasUsername()) {
            return allowed(identity("anonymous", "", request.getClientId(), List.of(), List.of()), null, true, 0);
        }
        return denied(request.hasUsername() ? ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD
                : ConnackReasonCode.NOT_AUTHORIZED, "credentials required");
    }

    private AuthenticateReply tokenLogin(AuthenticateRequest request, String token) {
        Optional<TokenLogin.TokenIdentity> valid = tokens.validate(token);
        if (valid.isEmpty()) {
            return denied(ConnackReasonCode.NOT_AUTHORIZED, "token not accepted");
        }
        TokenLogin.TokenIdentity t = valid.get();
        // its own namespace: "oidc:alice" is never the local device account "alice" (session, rules, superuser)
        String username = config.oidc().userPrefix() + t.username();
        UserEntity user = UserEntity.findById(username);
        if (user != null && user.disabled) {
            return denied(ConnackReasonCode.BANNED, "user disabled");
        }
        Identity.Builder identity = identity("oidc", username, request.getClientId(), t.groups(), t.roles())
                .toBuilder().putAllClaims(t.claims());
        return allowed(identity.build(), user, false, t.expiresAtMillis());
    }

    /** Recomputes the permissions of an identity authenticated earlier; DENIED when it was revoked meanwhile. */
    @Transactional
    public AuthenticateReply reauthorize(Identity identity) {
        if (identity.getKind().equals("anonymous")) {
            if (!AnonymousEntity.get().enabled) {
                return denied(ConnackReasonCode.NOT_AUTHORIZED, "anonymous access was disabled");
            }
            return allowed(identity, null, true, 0);
        }
        boolean token = identity.getKind().equals("oidc");
        if (token != inTokenNamespace(identity.getUsername())) {
            return denied(ConnackReasonCode.NOT_AUTHORIZED, "identity outside its namespace");
        }
        UserEntity user = UserEntity.findById(identity.getUsername());
        if ((user == null && !token) || (user != null && user.disabled)) {
            return denied(ConnackReasonCode.NOT_AUTHORIZED, "principal revoked");
        }
        return allowed(identity, user, false, 0);
    }

    /** Whether a name belongs to token users ({@code auth.oidc.user-prefix}); such names never log in otherwise. */
    private boolean inTokenNamespace(String username) {
        String prefix = config.oidc().userPrefix();
        return !prefix.isEmpty() && username.startsWith(prefix);
    }

    private AuthenticateReply allowed(Identity identity, UserEntity user, boolean anonymous, long expiresAt) {
        boolean superuser = user != null && user.superuser;
        PermissionCompiler.Compiled compiled = compiler.compile(identity, user, anonymous);
        return AuthenticateReply.newBuilder().setOutcome(AuthenticateReply.Outcome.ALLOWED).setIdentity(identity)
                .setSuperuser(superuser).addAllRules(compiled.rules()).setExpiresAtMillis(expiresAt)
                .addAllSubjects(compiled.subjects()).build();
    }

    private static AuthenticateReply denied(ConnackReasonCode code, String reason) {
        return AuthenticateReply.newBuilder().setOutcome(AuthenticateReply.Outcome.DENIED)
                .setReasonCode(code.reasonCode().unsignedCode()).setReason(reason).build();
    }

    private static Identity identity(String kind, String username, String clientId, List<String> groups,
            List<String> roles) {
        return Identity.newBuilder().setKind(kind).setPrincipal(kind.equals("anonymous") ? "anonymous" : username)
                .setUsername(username).setClientId(clientId).addAllTokenGroups(groups).addAllTokenRoles(roles).build();
    }

    /** Three base64url segments separated by dots: a JWS compact serialization. */
    static boolean looksLikeJwt(byte[] password) {
        String s = new String(password, StandardCharsets.US_ASCII);
        String[] parts = s.split("\\.");
        return parts.length == 3 && s.length() > 20 && s.chars().allMatch(c -> c == '.' || c == '-' || c == '_'
                || Character.isLetterOrDigit(c));
    }

    /** The client's IP address without the port. */
    private static String addressOf(AuthenticateRequest request) {
        String address = request.getRemoteAddress();
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    private static String reasonName(int code) {
        return String.format("0x%02x", code);
    }

}
