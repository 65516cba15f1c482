package dev.mqttsuite.authcache;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Login decisions remembered for reconnect storms, so that a fleet coming back after a network cut does not cost a
 * key derivation, database reads or a gRPC round trip per device. The suite's one implementation: the auth-service
 * keeps its allowed logins here, the broker the auth-service's allowed answers.
 *
 * <ul>
 *   <li>Keyed by an HMAC of the login's context (user name, login kind) and secret under a random per-instance key
 *       ({@link SecretFingerprints}): the secret itself is never kept.</li>
 *   <li>Only decisions the {@code remember} predicate accepts are kept (allowed logins: a denial is always decided
 *       afresh).</li>
 *   <li>An entry is used for at most the TTL and never past the decision's own end ({@code validUntilMillis}, e.g. a
 *       token's expiry).</li>
 *   <li>Every {@link #invalidate()} (an ACL change) starts a new generation: entries of older generations are never
 *       answered, and a decision computed from a generation read before the change is not kept, so a revocation is
 *       never answered from here, even when it races a login.</li>
 *   <li>Answers come only while {@link #live(boolean) live}: the auth-service is live from its start; the broker only
 *       while the auth-service's change stream is open (without it it cannot hear of revocations, so it fails closed
 *       by asking every time).</li>
 * </ul>
 * Thread-safe.
 *
 * @param <D> the decision type
 */
public final class LoginDecisionCache<D> {

    private record Remembered<D>(D decision, long generation, long expiresAtMillis) {
    }

    private final long ttlMillis;
    private final Predicate<? super D> remember;
    private final ToLongFunction<? super D> validUntilMillis;
    private final SecretFingerprints fingerprints = new SecretFingerprints();
    private final Map<String, Remembered<D>> entries;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean live;

    /**
     * A cache that is not live yet (see {@link #live(boolean)}).
     *
     * @param ttl how long a decision may be used at most; zero turns the cache off
     * @param maxEntries how many decisions are kept at most (least recently used ones are forgotten)
     * @param remember which decisions may be kept (e.g. allowed ones only)
     * @param validUntilMillis when a decision ends by itself, in epoch milliseconds, or 0 when it does not
     * @throws IllegalArgumentException when the TTL or the size is negative
     */
    public LoginDecisionCache(Duration ttl, int maxEntries, Predicate<? super D> remember,
            ToLongFunction<? super D> validUntilMillis) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be >= 0, was " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
        this.entries = BoundedLru.synchronizedMap(maxEntries);
        this.remember = Objects.requireNonNull(remember, "remember");
        this.validUntilMillis = Objects.requireNonNull(validUntilMillis, "validUntilMillis");
    }

    /** Whether anything is ever remembered (a TTL above zero). */
    public boolean enabled() {
        return ttlMillis > 0;
    }

    /**
     * The key of a login: its context (user name, login kind; not secret) and its secret, through the HMAC. Null when
     * the cache is off or there is no secret to key on: {@link #get} and {@link #put} ignore a null key.
     */
    public String keyOf(String context, byte[] secret) {
        if (!enabled() || context == null || secret == null) {
            return null;
        }
        return fingerprints.of(context, secret);
    }

    /** Read before deciding a login, and passed to {@link #put}: a change announced meanwhile keeps it out. */
    public long generation() {
        return generation.get();
    }

    /** The decision remembered for this key, or null: none, expired, older than the last change, or not live. */
    public D get(String key, long nowMillis) {
        if (key == null || !live) {
            return null;
        }
        Remembered<D> remembered = entries.get(key);
        if (remembered == null) {
            return null;
        }
        if (remembered.generation() != generation.get() || nowMillis >= remembered.expiresAtMillis()) {
            entries.remove(key);
            return null;
        }
        return remembered.decision();
    }

    /**
     * Remembers a decision computed from the model as of {@code generationBefore} (read before deciding), if the cache
     * is live, the decision may be remembered and no change came in meanwhile.
     */
    public void put(String key, D decision, long generationBefore, long nowMillis) {
        if (key == null || !live || !remember.test(decision) || generationBefore != generation.get()) {
            return;
        }
        long expires = nowMillis + ttlMillis;
        long ownEnd = validUntilMillis.applyAsLong(decision);
        if (ownEnd > 0) {
            expires = Math.min(expires, ownEnd);
        }
        // the generation goes with the entry: an invalidate() between the check above and this put still wins
        entries.put(key, new Remembered<>(decision, generationBefore, expires));
    }

    /** The ACL model changed (or may have): every remembered decision is stale. */
    public void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    /**
     * Whether decisions may be answered and remembered. Switching forgets everything: what was remembered before the
     * broker lost the change stream may have been revoked meanwhile.
     */
    public void live(boolean isLive) {
        invalidate();
        this.live = isLive;
    }

    /** How many decisions are remembered (some may be expired but not yet evicted). */
    public int size() {
        return entries.size();
    }
}
