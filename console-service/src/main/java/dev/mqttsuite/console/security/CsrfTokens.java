package dev.mqttsuite.console.security;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Synchronizer tokens against cross-site request forgery: HMAC-SHA256 of the principal (for a form login the random
 * session id, so one token per session) under a key drawn at startup. Pages carry the token; every state-changing
 * request must send it back in the {@value #HEADER} header, checked server-side by {@link CsrfFilter}.
 */
@io.quarkus.runtime.Startup
@Singleton
public class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";

    private final SecretKeySpec key;

    public CsrfTokens() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public String tokenFor(String principal) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(principal.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public boolean valid(String principal, String token) {
        return token != null && MessageDigest.isEqual(tokenFor(principal).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
