package dev.mqttsuite.auth.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.auth.config.AuthConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failed logins slow down further attempts on the same key exponentially, up to a cap; a success resets. */
class FailedLoginsTest {

    private static FailedLogins limiter() {
        FailedLogins limiter = new FailedLogins();
        limiter.config = (AuthConfig) java.lang.reflect.Proxy.newProxyInstance(AuthConfig.class.getClassLoader(),
                new Class<?>[] {AuthConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "bruteForce" -> new AuthConfig.BruteForce() {
                        @Override
                        public int freeFailures() {
                            return 2;
                        }

                        @Override
                        public Duration baseDelay() {
                            return Duration.ofMillis(100);
                        }

                        @Override
                        public Duration maxDelay() {
                            return Duration.ofMillis(1000);
                        }
                    };
                    default -> Optional.empty();
                });
        return limiter;
    }

    @Test
    void delaysGrowExponentiallyAfterTheFreeFailures_upToTheCap_perKey() {
        FailedLogins limiter = limiter();
        List<String> keys = List.of("user:mallory", "address:10.0.0.1");
        assertThat(limiter.delayFor(keys)).isZero();
        limiter.failed(keys);
        assertThat(limiter.delayFor(keys)).isZero();
        limiter.failed(keys);
        assertThat(limiter.delayFor(keys)).isEqualTo(Duration.ofMillis(100));
        limiter.failed(keys);
        assertThat(limiter.delayFor(keys)).isEqualTo(Duration.ofMillis(200));
        for (int i = 0; i < 10; i++) {
            limiter.failed(keys);
        }
        assertThat(limiter.delayFor(keys)).isEqualTo(Duration.ofMillis(1000));
        assertThat(limiter.delayFor(List.of("user:alice"))).as("other keys are not slowed down").isZero();
        assertThat(limiter.delayFor(List.of("user:alice", "address:10.0.0.1")))
                .as("the same address is slowed down for every user").isEqualTo(Duration.ofMillis(1000));
        limiter.succeeded(keys);
        assertThat(limiter.delayFor(keys)).isZero();
    }
}
