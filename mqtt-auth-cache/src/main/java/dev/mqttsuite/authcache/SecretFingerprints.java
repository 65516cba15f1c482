package dev.mqttsuite.authcache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys for in-memory caches of verified secrets: an HMAC-SHA256 under a random key made when the instance is created,
 * so a cache never holds a secret and its keys mean nothing outside this process. Thread-safe (one {@link Mac} per
 * thread).
 */
public final class SecretFingerprints {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public SecretFingerprints() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = new SecretKeySpec(bytes, ALGORITHM);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    /**
     * The fingerprint of {@code secret} in a context (what the secret belongs to, e.g. a user name; not itself secret).
     * The context is length-prefixed, so no pair of context and secret can collide with another by moving bytes from
     * one into the other.
     */
    public String of(String context, byte[] secret) {
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        Mac mac = macs.get();
        mac.update((byte) (contextBytes.length >>> 24));
        mac.update((byte) (contextBytes.length >>> 16));
        mac.update((byte) (contextBytes.length >>> 8));
        mac.update((byte) contextBytes.length);
        mac.update(contextBytes);
        mac.update(secret);
        return Base64.getEncoder().withoutPadding().encodeToString(mac.doFinal());
    }
}
