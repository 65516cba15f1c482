package dev.mqttsuite.broker.quota;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A monotonic clock the test moves by hand. */
final class FakeClock implements LongSupplier {

    private long nanos = 1_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advance(long amount, TimeUnit unit) {
        nanos += unit.toNanos(amount);
    }
}
