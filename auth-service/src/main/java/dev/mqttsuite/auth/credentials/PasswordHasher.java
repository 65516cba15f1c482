package dev.mqttsuite.auth.credentials;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.authcache.BoundedLru;
import dev.mqttsuite.authcache.SecretFingerprints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Device passwords as salted PBKDF2-HMAC-SHA256 ({@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, 16-byte salt,
 * 210,000 iterations by default, OWASP's 2023 figure). A successful verification is remembered under an HMAC of user,
 * stored hash and password with a key that lives only in this process, so reconnect storms do not run the KDF again;
 * the password itself is never kept.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AuthConfig config;

    private final SecretFingerprints fingerprints = new SecretFingerprints();
    private Map<String, Boolean> verified;
    /** A hash of a random password with the configured cost, checked for unknown users (same time as a real one). */
    private String dummy;

    @jakarta.annotation.PostConstruct
    void init() {
        if (config.passwords().cacheSize() < 0) {
            throw new IllegalStateException("auth.passwords.cache-size must be >= 0 (0 turns it off), was "
                    + config.passwords().cacheSize());
        }
        verified = BoundedLru.synchronizedMap(config.passwords().cacheSize());
        dummy = hash(java.util.UUID.randomUUID().toString().toCharArray());
    }

    /** Runs the key derivation against a dummy hash: a login for an unknown or disabled user costs the same time. */
    public void verifyDummy(char[] password) {
        String[] parts = dummy.split("\\$");
        derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    }

    public String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        int iterations = config.passwords().iterations();
        return PREFIX + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, iterations));
    }

    public boolean verify(String username, char[] password, String stored) {
        if (stored == null) {
            return false;
        }
        String cacheEntry = cacheEntry(username, stored, password);
        if (verified.containsKey(cacheEntry)) {
            return true;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        boolean ok = MessageDigest.isEqual(expected, actual);
        if (ok) {
            verified.put(cacheEntry, Boolean.TRUE);
        }
        return ok;
    }

    private String cacheEntry(String username, String stored, char[] password) {
        return fingerprints.of(username + "\u0000" + stored,
                new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return factory.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 unavailable", e);
        }
    }
}
