package dev.mqttsuite.broker.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A session's deliveries waiting to be sent, in arrival order, with their size in bytes (the limits
 * {@code broker.session.max-queued-messages} and {@code max-queued-bytes} apply to both). Guarded by the owning
 * session's lock.
 */
final class SessionQueue {

    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
    private long bytes;

    void add(Delivery delivery) {
        deliveries.addLast(delivery);
        bytes += delivery.size();
    }

    Delivery peek() {
        return deliveries.peekFirst();
    }

    Delivery poll() {
        Delivery d = deliveries.pollFirst();
        if (d != null) {
            bytes -= d.size();
        }
        return d;
    }

    boolean isEmpty() {
        return deliveries.isEmpty();
    }

    int size() {
        return deliveries.size();
    }

    long bytes() {
        return bytes;
    }

    /** Removes and returns the deliveries that match. */
    List<Delivery> removeIf(Predicate<Delivery> which) {
        List<Delivery> removed = new ArrayList<>();
        for (Iterator<Delivery> it = deliveries.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (which.test(d)) {
                it.remove();
                bytes -= d.size();
                removed.add(d);
            }
        }
        return removed;
    }

    void clear() {
        deliveries.clear();
        bytes = 0;
    }

    List<Delivery> snapshot() {
        return new ArrayList<>(deliveries);
    }
}
