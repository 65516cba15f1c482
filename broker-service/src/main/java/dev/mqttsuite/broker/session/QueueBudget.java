package dev.mqttsuite.broker.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes queued in all sessions together, against {@code broker.session.max-total-queued-bytes}. Sessions reserve
 * before they queue and give back when a delivery leaves the queue; thread-safe.
 */
public final class QueueBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public QueueBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whatever the limit (a restored session brings its queue back). */
    void force(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
