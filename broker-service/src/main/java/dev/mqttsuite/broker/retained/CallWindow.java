package dev.mqttsuite.broker.retained;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * At most {@code limit} calls to the retained store in flight; the others wait in arrival order and start as earlier
 * ones finish. A burst of retained PUBLISHes then reaches the store as a steady stream instead of thousands of calls
 * whose deadlines all run out together (their mass cancellation made the store's HTTP/2 server drop the whole
 * connection, failing every other call on it). The wait is bounded by the publishers' own in-flight windows (each
 * waiting call holds a PUBACK), and a call's deadline starts when it is sent ({@code broker.retained.timeout} is the
 * deadline of one call). Thread-safe and lock-free.
 */
final class CallWindow {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Consumer<Runnable>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();

    CallWindow(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Starts {@code call} now or when a slot frees; the call must run the {@code finished} callback it is given exactly
     * once, when its outcome is known.
     */
    void submit(Consumer<Runnable> call) {
        waiting.add(call);
        waitingCount.incrementAndGet();
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int now = inFlight.get();
            if (now >= limit) {
                return; // a finishing call drains again
            }
            if (!inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            Consumer<Runnable> next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet(); // another thread took it; look again
                continue;
            }
            waitingCount.decrementAndGet();
            next.accept(new Finished());
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    int waiting() {
        return waitingCount.get();
    }

    /** Frees the slot once, however often it is run. */
    private final class Finished implements Runnable {
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
                drain();
            }
        }
    }
}
