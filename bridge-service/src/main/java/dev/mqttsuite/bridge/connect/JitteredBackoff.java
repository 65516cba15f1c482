package dev.mqttsuite.bridge.connect;

import io.smallrye.reactive.messaging.mqtt.session.ReconnectDelayOptions;
import io.smallrye.reactive.messaging.mqtt.session.ReconnectDelayProvider;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect backoff with jitter for the SmallRye MQTT client session: the n-th delay after a loss is
 * {@code min(max, initial * 2^(n-1))}, shortened by a random fraction of up to {@code jitter} so that many bridges
 * (or replicas) that lost the same broker do not come back in step. A successful connection resets it.
 */
public final class JitteredBackoff implements ReconnectDelayOptions {

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    public JitteredBackoff(Duration initial, Duration max, double jitter) {
        this(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    JitteredBackoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    @Override
    public ReconnectDelayProvider createProvider() {
        return new ReconnectDelayProvider() {
            private int attempt;

            @Override
            public Duration nextDelay() {
                long base = initial.toNanos();
                for (int i = 0; i < attempt && base < max.toNanos(); i++) {
                    base *= 2;
                }
                base = Math.min(base, max.toNanos());
                attempt = Math.min(attempt + 1, 62);
                return Duration.ofNanos((long) (base * (1.0 - jitter * random.getAsDouble())));
            }

            @Override
            public void reset() {
                attempt = 0;
            }
        };
    }

    @Override
    public ReconnectDelayOptions copy() {
        return new JitteredBackoff(initial, max, jitter, random);
    }
}
