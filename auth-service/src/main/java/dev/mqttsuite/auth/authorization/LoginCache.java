package dev.mqttsuite.auth.authorization;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.auth.credentials.SecretFingerprints;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Allowed logins remembered for reconnect storms: a device that reconnects with the same credentials gets the same
 * decision without database reads or a key derivation. Keyed by an HMAC (random per-process key) of the user name and
 * the secret, never the secret itself; only ALLOWED replies are kept. An entry is used only while the ACL model is
 * unchanged in this process ({@link #modelChanged()}, called by every admin change) and for at most
 * {@code auth.login-cache.ttl} — which also bounds how long a change made through another auth-service replica can go
 * unseen here — and never past a token's expiry.
 */
@ApplicationScoped
public class LoginCache {

    private record Remembered(AuthenticateReply reply, long generation, long expiresAtMillis) {
    }

    @Inject
    AuthConfig config;

    @Inject
    SecretFingerprints fingerprints;

    private final AtomicLong generation = new AtomicLong();
    private Map<String, Remembered> entries;

    @PostConstruct
    void init() {
        if (config.loginCache().size() < 1 || config.loginCache().ttl().isNegative()) {
            throw new IllegalStateException("auth.login-cache.size must be >= 1 and auth.login-cache.ttl >= 0 (was "
                    + config.loginCache().size() + ", " + config.loginCache().ttl() + ")");
        }
        entries = SecretFingerprints.boundedLru(config.loginCache().size());
    }

    /** The cache key of a login: kind, user name and secret, through the HMAC. */
    public String keyOf(String kind, String username, byte[] secret) {
        return fingerprints.of(kind + "\u0000" + username, secret);
    }

    /** The model generation to pass to {@link #put} for a decision computed from now on. */
    public long generation() {
        return generation.get();
    }

    /** An allowed reply remembered for this key, if still valid. */
    public AuthenticateReply get(String cacheKey, long nowMillis) {
        if (!config.loginCache().enabled()) {
            return null;
        }
        Remembered e = entries.get(cacheKey);
        if (e == null) {
            return null;
        }
        if (e.generation() != generation.get() || nowMillis >= e.expiresAtMillis()) {
            entries.remove(cacheKey);
            return null;
        }
        return e.reply();
    }

    /**
     * Remembers an allowed reply computed from the model as of {@code generationBefore} (read before the database
     * reads: a change committed meanwhile makes the entry unusable at once).
     */
    public void put(String cacheKey, AuthenticateReply reply, long generationBefore, long nowMillis) {
        if (!config.loginCache().enabled() || reply.getOutcome() != AuthenticateReply.Outcome.ALLOWED) {
            return;
        }
        long expires = nowMillis + config.loginCache().ttl().toMillis();
        if (reply.getExpiresAtMillis() > 0) {
            expires = Math.min(expires, reply.getExpiresAtMillis());
        }
        entries.put(cacheKey, new Remembered(reply, generationBefore, expires));
    }

    /** Users, groups, roles or the anonymous settings changed: every remembered decision is stale. */
    public void modelChanged() {
        generation.incrementAndGet();
        entries.clear();
    }
}
