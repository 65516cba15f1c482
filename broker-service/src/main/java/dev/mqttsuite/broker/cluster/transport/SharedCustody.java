package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.topic.TopicFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The copies this broker keeps of QoS 1/2 shared-group messages it gave to another broker's members (docs/adr/0011,
 * "Shared subscriptions"). Each waits until the receiver settles its token: its member acknowledged the message, a
 * persistent session recorded it, or it was dropped there. If the receiver leaves the cluster first (it died), the
 * copies it still held go to another member of their group [MQTT 5.0 section 4.8.2].
 *
 * <p>A copy counts once the receiver accepted the frame carrying it, or at once for a message handed on after its
 * publisher was answered: a frame never accepted was refused to its publisher (0x80), who sends it again. Bounded by
 * {@code broker.cluster.forward.custody-max}: beyond, a message goes without a copy (counted).
 */
final class SharedCustody {

    /** One kept message; {@code holder} is the broker it was given to. */
    record Held(long token, Message message, String shareName, TopicFilter filter, String holder, boolean counts) {
    }

    private final ConcurrentHashMap<Long, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private final int max;
    private final Counter full;
    private final Counter redelivered;
    private final Counter lost;

    SharedCustody(int max, MeterRegistry registry) {
        this.max = max;
        Gauge.builder("mqtt.cluster.shared.custody", held, ConcurrentHashMap::size)
                .description("QoS 1/2 shared-group messages given to another broker and not yet settled by it")
                .register(registry);
        this.full = Counter.builder("mqtt.cluster.shared.custody.full")
                .description("Shared-group messages given to another broker without a copy (custody-max reached)")
                .register(registry);
        this.redelivered = Counter.builder("mqtt.cluster.shared.redelivered")
                .description("Shared-group messages given to another member after the broker holding them left")
                .register(registry);
        this.lost = Counter.builder("mqtt.cluster.shared.custody.lost")
                .description("Kept shared-group messages of a departed broker with no member left to take them")
                .register(registry);
    }

    /**
     * Keeps {@code message} while {@code holder} has it.
     *
     * @param answered its publisher was already answered (a hand-on): it counts before the holder accepted it
     * @return the token the holder settles, or 0 when the custody is full
     */
    long hold(Message message, String shareName, TopicFilter filter, String holder, boolean answered) {
        if (held.size() >= max) {
            full.increment();
            return 0;
        }
        long token = tokens.incrementAndGet();
        held.put(token, new Held(token, message, shareName, filter, holder, answered));
        return token;
    }

    /** The holder accepted the frame carrying the token. */
    void accepted(long token) {
        held.computeIfPresent(token, (t, h) -> h.counts() ? h
                : new Held(t, h.message(), h.shareName(), h.filter(), h.holder(), true));
    }

    /** The holder is done with the message. */
    void settle(long token) {
        held.remove(token);
    }

    /** Drops a copy; false when it was no longer kept (settled, or taken by its holder's departure). */
    boolean release(long token) {
        return held.remove(token) != null;
    }

    /**
     * Removes and returns what {@code member} held and had accepted, oldest first; the rest it held is forgotten.
     */
    List<Held> takeHeldBy(String member) {
        List<Held> taken = new ArrayList<>();
        held.values().removeIf(h -> {
            if (!h.holder().equals(member)) {
                return false;
            }
            if (h.counts()) {
                taken.add(h);
            }
            return true;
        });
        taken.sort(Comparator.comparingLong(Held::token)); // in the order they were given out
        return taken;
    }

    void redelivered() {
        redelivered.increment();
    }

    void lost() {
        lost.increment();
    }

    int size() {
        return held.size();
    }
}
