package dev.mqttsuite.broker.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A session's deliveries waiting to be sent, in arrival order, with their size in bytes: the per-session limits
 * {@code broker.session.max-queued-messages} and {@code max-queued-bytes} and the broker-wide
 * {@link QueueBudget} apply. Guarded by the owning session's lock.
 */
final class SessionQueue {

    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
    private final QueueBudget budget;
    private long bytes;

    SessionQueue(QueueBudget budget) {
        this.budget = budget;
    }

    /** Adds the delivery if it fits under the session's limits and the broker-wide budget. */
    boolean offer(Delivery delivery, int maxMessages, long maxBytes) {
        long size = delivery.size();
        if (deliveries.size() >= maxMessages || bytes + size > maxBytes || !budget.tryReserve(size)) {
            return false;
        }
        deliveries.addLast(delivery);
        bytes += size;
        return true;
    }

    /** Adds whatever the limits (restoring a saved session). */
    void add(Delivery delivery) {
        long size = delivery.size();
        budget.force(size);
        deliveries.addLast(delivery);
        bytes += size;
    }

    Delivery peek() {
        return deliveries.peekFirst();
    }

    Delivery poll() {
        Delivery d = deliveries.pollFirst();
        if (d != null) {
            forget(d);
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
                forget(d);
                removed.add(d);
            }
        }
        return removed;
    }

    void clear() {
        budget.release(bytes);
        deliveries.clear();
        bytes = 0;
    }

    List<Delivery> snapshot() {
        return new ArrayList<>(deliveries);
    }

    private void forget(Delivery d) {
        long size = d.size();
        bytes -= size;
        budget.release(size);
    }
}
