package dev.mqttsuite.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.Identity;
import org.junit.jupiter.api.Test;

class AuthDecisionCacheTest {

    private static final AuthenticateReply ALLOWED = AuthenticateReply.newBuilder()
            .setOutcome(AuthenticateReply.Outcome.ALLOWED)
            .setIdentity(Identity.newBuilder().setUsername("u").setClientId("c1")).build();

    private final AuthDecisionCache cache = new AuthDecisionCache(10_000, 100);

    @Test
    void nothingIsRememberedOrAnsweredWhileTheChangeStreamIsDown() {
        String key = cache.keyOf("u", "secret".getBytes());
        cache.put(key, ALLOWED, cache.epoch(), 0);
        assertThat(cache.get(key, 1)).isNull();
        cache.live(true);
        cache.put(key, ALLOWED, cache.epoch(), 0);
        assertThat(cache.get(key, 1)).isEqualTo(ALLOWED);
        cache.live(false);
        assertThat(cache.get(key, 1)).as("stream lost: fail closed as without a cache").isNull();
    }

    @Test
    void aChangeEventForgetsEverything_andAnAnswerAskedBeforeItIsNotKept() {
        cache.live(true);
        String key = cache.keyOf("u", "secret".getBytes());
        cache.put(key, ALLOWED, cache.epoch(), 0);
        cache.invalidate();
        assertThat(cache.get(key, 1)).isNull();
        long before = cache.epoch();
        cache.invalidate(); // a change arrives while the auth-service is being asked
        cache.put(key, ALLOWED, before, 0);
        assertThat(cache.get(key, 1)).isNull();
    }

    @Test
    void onlyTheSameUserAndPasswordHit_deniedDecisionsAreNeverKept() {
        cache.live(true);
        cache.put(cache.keyOf("u", "secret".getBytes()), ALLOWED, cache.epoch(), 0);
        assertThat(cache.get(cache.keyOf("u", "other".getBytes()), 1)).isNull();
        assertThat(cache.get(cache.keyOf("v", "secret".getBytes()), 1)).isNull();
        String denied = cache.keyOf("d", "x".getBytes());
        cache.put(denied, AuthenticateReply.newBuilder().setOutcome(AuthenticateReply.Outcome.DENIED).build(),
                cache.epoch(), 0);
        assertThat(cache.get(denied, 1)).isNull();
    }

    @Test
    void entriesEndWithTheTtlOrTheTokenExpiry() {
        cache.live(true);
        String key = cache.keyOf("u", "secret".getBytes());
        cache.put(key, ALLOWED, cache.epoch(), 0);
        assertThat(cache.get(key, 9_999)).isEqualTo(ALLOWED);
        assertThat(cache.get(key, 10_000)).isNull();
        cache.put(key, ALLOWED.toBuilder().setExpiresAtMillis(500).build(), cache.epoch(), 0);
        assertThat(cache.get(key, 499)).isEqualTo(ALLOWED.toBuilder().setExpiresAtMillis(500).build());
        assertThat(cache.get(key, 500)).isNull();
    }

    @Test
    void aZeroTtlTurnsItOff() {
        AuthDecisionCache off = new AuthDecisionCache(0, 100);
        assertThat(off.keyOf("u", "secret".getBytes())).isNull();
    }
}
