package dev.mqttsuite.broker.quota;

import java.util.function.LongSupplier;

/**
 * A token bucket that may go into debt: {@link #tryTake} succeeds while the bucket holds at least what is asked (or is
 * full, so a packet larger than the burst still passes once), {@link #take} always takes and may leave a debt that
 * {@link #nanosUntilClear} says how long to wait out. Refilled lazily from a monotonic clock, no timer. Thread-safe
 * (a user's bucket is shared by connections on several event loops); uncontended for a connection's own bucket.
 */
public final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private final LongSupplier clock;
    private double tokens;
    private long refilledAt;

    /**
     * @param perSecond tokens added per second, above 0
     * @param capacity the most tokens the bucket holds (the burst), at least 1
     * @param clock a monotonic clock in nanoseconds ({@code System::nanoTime}; tests use their own)
     */
    public TokenBucket(double perSecond, double capacity, LongSupplier clock) {
        if (!(perSecond > 0) || !(capacity >= 1)) {
            throw new IllegalArgumentException("rate must be > 0 and capacity >= 1, was " + perSecond + ", "
                    + capacity);
        }
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.clock = clock;
        this.tokens = capacity;
        this.refilledAt = clock.getAsLong();
    }

    /** Takes {@code amount} if the bucket holds it (or is full); otherwise takes nothing. */
    public synchronized boolean tryTake(long amount) {
        refill();
        if (tokens >= Math.min(amount, capacity)) {
            tokens -= amount;
            return true;
        }
        return false;
    }

    /** Takes {@code amount} unconditionally, leaving a debt if the bucket held less. */
    public synchronized void take(long amount) {
        refill();
        tokens -= amount;
    }

    /** Nanoseconds until the bucket is out of debt (0 when it holds tokens). */
    public synchronized long nanosUntilClear() {
        refill();
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    private void refill() {
        long now = clock.getAsLong();
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            refilledAt = now;
        }
    }
}
