package dev.mqttsuite.auth.credentials;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.authcache.BoundedLru;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Brute-force protection without holding anything: failed logins spend tokens from buckets kept per source address
 * and per user name, and a login whose bucket is empty is refused at once (CONNACK 0x9F) without checking its
 * secret. Nothing sleeps, so an attacker holding many pending logins ties up no authentication slot.
 *
 * <ul>
 *   <li>Address: every failed login from an address spends one of its tokens ({@code address-burst}, one back per
 *       {@code address-refill}).
 *   <li>User name: every failed login for a user name spends one of its tokens ({@code user-burst}, one back per
 *       {@code user-refill}). An empty user bucket refuses only addresses that themselves failed for that user name
 *       recently: a device that logs in with the right password from its own address is never locked out by an
 *       attack on its user name from elsewhere.
 * </ul>
 *
 * Memory is bounded: each table keeps at most {@code max-tracked} entries, forgetting the least recently used.
 */
@ApplicationScoped
public class LoginThrottle {

    /** Whether a login may be checked. */
    public enum Verdict {
        ALLOW,
        ADDRESS_THROTTLED,
        USER_THROTTLED
    }

    /** Settings, in the units the buckets use. */
    public record Limits(int addressBurst, long addressRefillMillis, int userBurst, long userRefillMillis,
            int maxTracked) {
    }

    /** Tokens refilled continuously up to the burst; guarded by itself. */
    private static final class Bucket {
        private final int burst;
        private final long refillMillis;
        private double tokens;
        private long updatedMillis;

        Bucket(int burst, long refillMillis, long now) {
            this.burst = burst;
            this.refillMillis = refillMillis;
            this.tokens = burst;
            this.updatedMillis = now;
        }

        synchronized boolean empty(long now) {
            refill(now);
            return tokens < 1;
        }

        synchronized void spend(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
        }

        private void refill(long now) {
            if (now > updatedMillis) {
                tokens = Math.min(burst, tokens + (double) (now - updatedMillis) / refillMillis);
                updatedMillis = now;
            }
        }
    }

    @Inject
    AuthConfig config;

    @Inject
    MeterRegistry registry;

    private Limits limits;
    private Map<String, Bucket> byAddress;
    private Map<String, Bucket> byUser;
    /** user name + NUL + address → when that address last failed for that user name. */
    private Map<String, Long> failedPairs;

    public LoginThrottle() {
    }

    /** For tests: a throttle with these limits and no metrics. */
    public LoginThrottle(Limits limits) {
        init(limits);
    }

    @PostConstruct
    void start() {
        AuthConfig.BruteForce b = config.bruteForce();
        init(new Limits(b.addressBurst(), b.addressRefill().toMillis(), b.userBurst(), b.userRefill().toMillis(),
                b.maxTracked()));
        Gauge.builder("auth.login.throttle.tracked", this, t -> t.byAddress.size() + t.byUser.size())
                .description("Addresses and user names with recent failed logins (bounded by"
                        + " auth.brute-force.max-tracked each)").register(registry);
    }

    private void init(Limits limits) {
        this.limits = limits;
        byAddress = BoundedLru.synchronizedMap(limits.maxTracked());
        byUser = BoundedLru.synchronizedMap(limits.maxTracked());
        failedPairs = BoundedLru.synchronizedMap(limits.maxTracked());
    }

    /** Non-blocking: whether a login from {@code address} for {@code user} (null: none) may be checked now. */
    public Verdict check(String address, String user, long nowMillis) {
        Bucket a = byAddress.get(address);
        if (a != null && a.empty(nowMillis)) {
            return Verdict.ADDRESS_THROTTLED;
        }
        if (user != null) {
            Bucket u = byUser.get(user);
            if (u != null && u.empty(nowMillis) && failedRecently(user, address, nowMillis)) {
                return Verdict.USER_THROTTLED;
            }
        }
        return Verdict.ALLOW;
    }

    private boolean failedRecently(String user, String address, long now) {
        Long last = failedPairs.get(user + '\u0000' + address);
        // remembered as long as the user's bucket takes to refill completely
        return last != null && now - last < limits.userBurst() * limits.userRefillMillis();
    }

    /** A login failed: the address and the user name spend a token. */
    public void failed(String address, String user, long nowMillis) {
        byAddress.computeIfAbsent(address, k -> new Bucket(limits.addressBurst(), limits.addressRefillMillis(),
                nowMillis)).spend(nowMillis);
        if (user != null) {
            byUser.computeIfAbsent(user, k -> new Bucket(limits.userBurst(), limits.userRefillMillis(), nowMillis))
                    .spend(nowMillis);
            failedPairs.put(user + '\u0000' + address, nowMillis);
        }
    }

    /** A login succeeded: this address is no longer suspect for this user name. */
    public void succeeded(String address, String user) {
        if (user != null) {
            failedPairs.remove(user + '\u0000' + address);
        }
    }
}
