package dev.mqttsuite.bridge.flow;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Loop prevention for two-way bridges. MQTT 3.1.1 (what the bridge speaks) delivers a client's own publications to
 * its matching subscriptions, so a message the bridge publishes on one side comes straight back to it when a rule
 * also subscribes there. Before publishing, the bridge {@link #expect records} the message (topic and payload) on the
 * side it publishes to; a message arriving from that side that matches a record {@link #consume consumes} it and is
 * acknowledged and dropped instead of being forwarded back.
 *
 * <p>Records are only made when an echo is expected (a rule subscribes to the topic on that side), and they expire
 * after the loop window, so a missing echo (e.g. the remote's ACL does not let the bridge read the topic) cannot
 * suppress later messages for long. The trade-off: a different client publishing the very same payload to the very
 * same topic on that side inside the window, before the echo arrives, is taken for the echo. Confined to the bridge's
 * event loop.
 */
public final class EchoFilter {

    private record Key(String topic, byte[] payload, int hash) {
        static Key of(String topic, byte[] payload) {
            return new Key(topic, payload, 31 * topic.hashCode() + Arrays.hashCode(payload));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.topic.equals(topic) && Arrays.equals(k.payload, payload);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One expected echo; dead once consumed or expired. */
    private static final class Expected {
        final Key key;
        final long expiresAt;
        boolean live = true;

        Expected(Key key, long expiresAt) {
            this.key = key;
            this.expiresAt = expiresAt;
        }
    }

    private final long windowNanos;
    private final int capacity;
    private final Map<Key, ArrayDeque<Expected>> pending = new HashMap<>();
    private final ArrayDeque<Expected> byAge = new ArrayDeque<>();
    private int live;

    /**
     * @param windowNanos how long a record lives
     * @param capacity    most records held; the oldest are forgotten first
     */
    public EchoFilter(long windowNanos, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.windowNanos = windowNanos;
        this.capacity = capacity;
    }

    /** Remembers that the bridge publishes this message and will receive it back once. */
    public void expect(String topic, byte[] payload, long nowNanos) {
        expire(nowNanos);
        while (live >= capacity) {
            forget(byAge.poll());
        }
        Expected e = new Expected(Key.of(topic, payload), nowNanos + windowNanos);
        pending.computeIfAbsent(e.key, k -> new ArrayDeque<>()).add(e);
        byAge.add(e);
        live++;
    }

    /** Whether this arriving message is the echo of one the bridge published; if so the record is used up. */
    public boolean consume(String topic, byte[] payload, long nowNanos) {
        expire(nowNanos);
        if (live == 0) {
            return false;
        }
        Key key = Key.of(topic, payload);
        ArrayDeque<Expected> forKey = pending.get(key);
        if (forKey == null) {
            return false;
        }
        Expected e = forKey.poll();
        if (forKey.isEmpty()) {
            pending.remove(key);
        }
        e.live = false;
        live--;
        return true;
    }

    /** Echoes still expected. */
    public int size() {
        return live;
    }

    private void expire(long nowNanos) {
        Expected head;
        while ((head = byAge.peek()) != null && (!head.live || head.expiresAt - nowNanos <= 0)) {
            forget(byAge.poll());
        }
    }

    private void forget(Expected e) {
        if (e == null || !e.live) {
            return;
        }
        e.live = false;
        live--;
        ArrayDeque<Expected> forKey = pending.get(e.key);
        if (forKey != null) {
            forKey.remove(e);
            if (forKey.isEmpty()) {
                pending.remove(e.key);
            }
        }
    }
}
