package dev.mqttsuite.auth.credentials;

import dev.mqttsuite.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection: failed logins counted per key (client id, user name, address); after
 * {@code auth.brute-force.free-failures} failures each further attempt on that key waits an exponentially growing
 * delay (capped). A success clears the user's and client's counters. Entries expire after an hour of quiet.
 */
@ApplicationScoped
public class FailedLogins {

    private record Failures(int count, long lastMillis) {
    }

    @Inject
    AuthConfig config;

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public Duration delayFor(List<String> keys) {
        long now = System.currentTimeMillis();
        int worst = 0;
        for (String key : keys) {
            Failures f = failures.get(key);
            if (f != null && now - f.lastMillis() < Duration.ofHours(1).toMillis()) {
                worst = Math.max(worst, f.count());
            }
        }
        int over = worst - config.bruteForce().freeFailures();
        if (over < 0) {
            return Duration.ZERO;
        }
        long delay = config.bruteForce().baseDelay().toMillis() << Math.min(over, 20);
        return Duration.ofMillis(Math.min(delay, config.bruteForce().maxDelay().toMillis()));
    }

    public void failed(List<String> keys) {
        long now = System.currentTimeMillis();
        for (String key : keys) {
            failures.merge(key, new Failures(1, now), (a, b) -> new Failures(a.count() + 1, now));
        }
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> now - e.getValue().lastMillis() > Duration.ofHours(1).toMillis());
        }
    }

    public void succeeded(List<String> keys) {
        keys.forEach(failures::remove);
    }
}
