package dev.mqttsuite.auth.credentials;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys for in-memory caches of verified secrets: an HMAC-SHA256 under a random key made at process start, so a cache
 * never holds a secret and its keys mean nothing outside this process. Thread-safe (one Mac per thread).
 */
@ApplicationScoped
public class SecretFingerprints {

    private final byte[] key = new byte[32];
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public SecretFingerprints() {
        new SecureRandom().nextBytes(key);
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

    /** The fingerprint of {@code secret} in a context (what the secret belongs to; not itself secret). */
    public String of(String context, byte[] secret) {
        Mac mac = macs.get();
        mac.update(context.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(secret);
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    /** A thread-safe map that forgets its least recently used entries beyond {@code size}. */
    public static <K, V> Map<K, V> boundedLru(int size) {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        });
    }
}
