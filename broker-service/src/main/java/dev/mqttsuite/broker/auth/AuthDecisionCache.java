package dev.mqttsuite.broker.auth;

import dev.mqttsuite.auth.v1.AuthenticateReply;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Allowed auth-service decisions remembered by the broker, so that a reconnect storm (a fleet coming back after a
 * network cut) does not cost a gRPC round trip per device. Keyed by an HMAC (random per-process key) of the user name
 * and password — never the password — and used only:
 * <ul>
 *   <li>while the auth-service's change stream is live ({@link #live(boolean)}): every change event clears it, so a
 *       revocation is never answered from here; without the stream nothing is answered from here and logins fail
 *       closed as before;</li>
 *   <li>for at most {@code broker.auth.cache-ttl}, and never past a token's expiry.</li>
 * </ul>
 * Permissions are still compiled per connection (client id placeholders differ).
 */
public final class AuthDecisionCache {

    private record Remembered(AuthenticateReply reply, long expiresAtMillis) {
    }

    private final long ttlMillis;
    private final byte[] key = new byte[32];
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final Map<String, Remembered> entries;
    private volatile boolean live;
    private final AtomicLong epoch = new AtomicLong();

    public AuthDecisionCache(long ttlMillis, int size) {
        this.ttlMillis = ttlMillis;
        new SecureRandom().nextBytes(key);
        this.entries = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > size;
            }
        });
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean enabled() {
        return ttlMillis > 0;
    }

    /** The key for a user name and password login; null when there is nothing to key on. */
    public String keyOf(String username, byte[] password) {
        if (!enabled() || username == null || password == null) {
            return null;
        }
        Mac mac = macs.get();
        mac.update(username.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(password);
        byte[] digest = mac.doFinal();
        return java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 24));
    }

    public AuthenticateReply get(String cacheKey, long nowMillis) {
        if (cacheKey == null || !live) {
            return null;
        }
        Remembered r = entries.get(cacheKey);
        if (r == null) {
            return null;
        }
        if (nowMillis >= r.expiresAtMillis()) {
            entries.remove(cacheKey);
            return null;
        }
        return r.reply();
    }

    /** Remembers an ALLOWED reply asked for at {@code epochBefore}, unless a change came in meanwhile. */
    public void put(String cacheKey, AuthenticateReply reply, long epochBefore, long nowMillis) {
        if (cacheKey == null || !live || reply.getOutcome() != AuthenticateReply.Outcome.ALLOWED
                || epochBefore != epoch.get()) {
            return;
        }
        long expires = nowMillis + ttlMillis;
        if (reply.getExpiresAtMillis() > 0) {
            expires = Math.min(expires, reply.getExpiresAtMillis());
        }
        entries.put(cacheKey, new Remembered(reply, expires));
    }

    /** Read before asking the auth-service: a change announced meanwhile keeps the answer out of the cache. */
    public long epoch() {
        return epoch.get();
    }

    /** A change event (or RESYNC) arrived: everything remembered may be stale. */
    public void invalidate() {
        epoch.incrementAndGet();
        entries.clear();
    }

    /** The change stream is open (true) or lost (false); while lost the cache is empty and unused. */
    public void live(boolean isLive) {
        invalidate();
        this.live = isLive;
    }

    public int size() {
        return entries.size();
    }
}
