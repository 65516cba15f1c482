package dev.mqttsuite.console.config;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A random key for the form-login cookie's encryption ({@code quarkus.http.auth.session.encryption-key}) when none is
 * configured: drawn once per process, never logged (Quarkus' own fallback prints its temporary key in a warning).
 * Lowest priority: a configured key always wins. Sessions live in memory anyway, so a new key per start loses nothing.
 */
public class SessionKeyConfigSource implements ConfigSource {

    static final String KEY = "quarkus.http.auth.session.encryption-key";

    private static final String VALUE;

    static {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        VALUE = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(KEY, VALUE);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String propertyName) {
        return KEY.equals(propertyName) ? VALUE : null;
    }

    @Override
    public String getName() {
        return "console-random-session-key";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
