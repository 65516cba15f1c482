package dev.mqttsuite.bridge.flow;

import java.util.ArrayDeque;

/**
 * Acknowledges QoS 1 messages to the broker they came from in the order they arrived, as MQTT requires
 * [MQTT-4.6.0-2], although the bridge may finish them out of order (an echo is done at once, a forward when the
 * other broker acknowledged it). A message is only acknowledged while the connection it arrived on is still the
 * current one: after a reconnect the source broker sends unacknowledged messages again (persistent session), and the
 * old packet identifiers mean nothing on the new connection. Confined to the bridge's event loop.
 */
public final class AckSequencer {

    /** A QoS 1 message awaiting its acknowledgement to the source. */
    public static final class Receipt {
        private final Runnable ack;
        private final long connection;
        private boolean done;

        Receipt(Runnable ack, long connection) {
            this.ack = ack;
            this.connection = connection;
        }
    }

    private final ArrayDeque<Receipt> pending = new ArrayDeque<>();
    private long connection;

    /** Registers an arriving QoS 1 message; {@code ack} sends its PUBACK. */
    public Receipt arrived(Runnable ack) {
        Receipt r = new Receipt(ack, connection);
        pending.add(r);
        return r;
    }

    /** The message is safe on the other side (or was an echo): acknowledge it and every finished one before it. */
    public void done(Receipt receipt) {
        receipt.done = true;
        Receipt head;
        while ((head = pending.peek()) != null && head.done) {
            pending.poll();
            if (head.connection == connection) {
                head.ack.run();
            }
        }
    }

    /** The source connection was lost: nothing received on it can be acknowledged any more. */
    public void connectionLost() {
        connection++;
        pending.clear();
    }

    /** Messages received and not yet acknowledged. */
    public int unacknowledged() {
        return pending.size();
    }
}
