package dev.mqttsuite.authcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginDecisionCacheTest {

    /** A login decision as both services have one: allowed or not, and when it ends by itself (0: never). */
    private record Decision(boolean allowed, long expiresAtMillis) {
    }

    private static final Decision ALLOWED = new Decision(true, 0);
    private static final Decision DENIED = new Decision(false, 0);

    private final LoginDecisionCache<Decision> cache = newCache(Duration.ofSeconds(10), 100);

    private static LoginDecisionCache<Decision> newCache(Duration ttl, int size) {
        return new LoginDecisionCache<>(ttl, size, Decision::allowed, Decision::expiresAtMillis);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whileNotLive_nothingIsRememberedOrAnswered_soABrokerWithoutTheChangeStreamFailsClosed() {
        String key = cache.keyOf("u", bytes("secret"));
        cache.put(key, ALLOWED, cache.generation(), 0);
        assertThat(cache.get(key, 1)).as("never live: nothing kept").isNull();
        cache.live(true);
        cache.put(key, ALLOWED, cache.generation(), 0);
        assertThat(cache.get(key, 1)).isEqualTo(ALLOWED);
        cache.live(false);
        assertThat(cache.get(key, 1)).as("stream lost: answered as without a cache").isNull();
        cache.live(true);
        assertThat(cache.get(key, 1)).as("back live: what was kept before may have been revoked meanwhile").isNull();
    }

    @Test
    void aChangeForgetsEverything_andADecisionAskedForBeforeItIsNotKept() {
        cache.live(true);
        String key = cache.keyOf("u", bytes("secret"));
        cache.put(key, ALLOWED, cache.generation(), 0);
        cache.invalidate();
        assertThat(cache.get(key, 1)).isNull();
        long before = cache.generation();
        cache.invalidate(); // a change arrives while the login is being decided
        cache.put(key, ALLOWED, before, 0);
        assertThat(cache.get(key, 1)).as("decided from the model before the change").isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void onlyTheSameContextAndSecretHit() {
        cache.live(true);
        cache.put(cache.keyOf("u", bytes("secret")), ALLOWED, cache.generation(), 0);
        assertThat(cache.get(cache.keyOf("u", bytes("secret")), 1)).isEqualTo(ALLOWED);
        assertThat(cache.get(cache.keyOf("u", bytes("other")), 1)).isNull();
        assertThat(cache.get(cache.keyOf("v", bytes("secret")), 1)).isNull();
    }

    @Test
    void contextAndSecretCannotBeShiftedIntoEachOther() {
        cache.live(true);
        cache.put(cache.keyOf("password\u0000u\u0000x", bytes("s")), ALLOWED, cache.generation(), 0);
        assertThat(cache.get(cache.keyOf("password\u0000u", bytes("x\u0000s")), 1)).isNull();
    }

    @Test
    void decisionsTheCacheMayNotRemember_deniedLogins_areNeverKept() {
        cache.live(true);
        String key = cache.keyOf("d", bytes("x"));
        cache.put(key, DENIED, cache.generation(), 0);
        assertThat(cache.get(key, 1)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void entriesEndWithTheTtl_orEarlierWithTheDecisionsOwnEnd_aTokensExpiry() {
        cache.live(true);
        String key = cache.keyOf("u", bytes("secret"));
        cache.put(key, ALLOWED, cache.generation(), 0);
        assertThat(cache.get(key, 9_999)).isEqualTo(ALLOWED);
        assertThat(cache.get(key, 10_000)).isNull();
        cache.put(key, new Decision(true, 500), cache.generation(), 0);
        assertThat(cache.get(key, 499)).isEqualTo(new Decision(true, 500));
        assertThat(cache.get(key, 500)).isNull();
    }

    @Test
    void theLeastRecentlyUsedEntriesGoBeyondTheSize() {
        LoginDecisionCache<Decision> small = newCache(Duration.ofSeconds(10), 2);
        small.live(true);
        String a = small.keyOf("a", bytes("s"));
        String b = small.keyOf("b", bytes("s"));
        String c = small.keyOf("c", bytes("s"));
        small.put(a, ALLOWED, small.generation(), 0);
        small.put(b, ALLOWED, small.generation(), 0);
        small.get(a, 1); // a is used again: b is now the least recently used
        small.put(c, ALLOWED, small.generation(), 0);
        assertThat(small.get(a, 1)).isEqualTo(ALLOWED);
        assertThat(small.get(b, 1)).isNull();
        assertThat(small.get(c, 1)).isEqualTo(ALLOWED);
    }

    @Test
    void aZeroTtlTurnsItOff_noKeyIsEvenComputed() {
        LoginDecisionCache<Decision> off = newCache(Duration.ZERO, 100);
        off.live(true);
        assertThat(off.enabled()).isFalse();
        assertThat(off.keyOf("u", bytes("secret"))).isNull();
        assertThat(off.get(null, 0)).isNull();
    }

    @Test
    void withoutASecret_thereIsNoKey() {
        assertThat(cache.keyOf("u", null)).isNull();
        assertThat(cache.keyOf(null, bytes("secret"))).isNull();
    }

    @Test
    void negativeTtlOrSize_isRefused() {
        assertThatThrownBy(() -> newCache(Duration.ofSeconds(-1), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> newCache(Duration.ofSeconds(1), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEntries");
    }

    @Test
    void keysOfTwoCachesDiffer_theHmacKeyIsPerInstance() {
        LoginDecisionCache<Decision> other = newCache(Duration.ofSeconds(10), 100);
        assertThat(other.keyOf("u", bytes("secret"))).isNotEqualTo(cache.keyOf("u", bytes("secret")));
    }
}
