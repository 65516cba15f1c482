package dev.mqttsuite.auth.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.auth.credentials.LoginThrottle.Verdict;
import org.junit.jupiter.api.Test;

/** Token buckets per address and per user name; nothing sleeps, the clock is passed in. */
class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Limits(3, 1_000, 5, 10_000, 1_000));

    @Test
    void anAddressIsRefusedOnceItsFailuresUsedUpTheBurst_andGetsATryBackPerRefillInterval() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.check("10.0.0.1", null, 0)).isEqualTo(Verdict.ALLOW);
            throttle.failed("10.0.0.1", null, 0);
        }
        assertThat(throttle.check("10.0.0.1", null, 0)).isEqualTo(Verdict.ADDRESS_THROTTLED);
        assertThat(throttle.check("10.0.0.2", null, 0)).as("other addresses are not affected").isEqualTo(Verdict.ALLOW);
        assertThat(throttle.check("10.0.0.1", null, 1_000)).as("one token back after the refill interval")
                .isEqualTo(Verdict.ALLOW);
        throttle.failed("10.0.0.1", null, 1_000);
        assertThat(throttle.check("10.0.0.1", null, 1_000)).isEqualTo(Verdict.ADDRESS_THROTTLED);
    }

    @Test
    void anAttackOnAUserNameFromManyAddressesDoesNotLockOutTheDeviceAtItsOwnAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("203.0.113." + i, "truck1", 0); // one try from each of five attacking addresses
        }
        assertThat(throttle.check("203.0.113.0", "truck1", 0)).as("an address that failed for the user")
                .isEqualTo(Verdict.USER_THROTTLED);
        assertThat(throttle.check("203.0.113.9", "truck1", 0)).as("a new address gets its one try")
                .isEqualTo(Verdict.ALLOW);
        assertThat(throttle.check("192.0.2.7", "truck1", 0)).as("the device's own address").isEqualTo(Verdict.ALLOW);
        assertThat(throttle.check("203.0.113.0", "other-user", 0)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aSuccessClearsTheAddressForThatUserName() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(100, 1_000, 1, 60_000, 1_000));
        t.failed("192.0.2.7", "truck1", 0); // the device mistyped once; the user bucket is now empty
        assertThat(t.check("192.0.2.7", "truck1", 0)).isEqualTo(Verdict.USER_THROTTLED);
        t.succeeded("192.0.2.7", "truck1");
        assertThat(t.check("192.0.2.7", "truck1", 0)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void memoryIsBoundedByMaxTracked() {
        LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(1, 60_000, 1, 60_000, 10));
        for (int i = 0; i < 1_000; i++) {
            t.failed("198.51.100." + i, "u" + i, 0);
        }
        assertThat(t.check("198.51.100.999", null, 0)).as("recent entries are kept")
                .isEqualTo(Verdict.ADDRESS_THROTTLED);
        assertThat(t.check("198.51.100.0", null, 0)).as("the oldest were forgotten, not kept without bound")
                .isEqualTo(Verdict.ALLOW);
    }
}
