package dev.mqttsuite.bridge.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Moves messages of one direction to the target broker without losing QoS 1 messages: a message stays here until
 * the target acknowledged it (PUBACK), and only then is it acknowledged to the source ({@link AckSequencer}). While
 * the target is down messages wait; when it comes back everything not yet acknowledged is sent again (with DUP), so
 * the guarantee end to end is at-least-once.
 *
 * <p>Bounded: at most {@code bufferSize} messages wait. Beyond that a QoS 0 message is dropped (counted, logged); a
 * QoS 1 message is still taken but, because the bridge only acknowledges what the target accepted, the source broker
 * stops sending at its inflight window and holds the rest in the bridge's session (back-pressure, no loss).
 * Confined to the bridge's event loop.
 */
public final class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class);
    private static final long DROP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String name;
    private final Target target;
    private final int bufferSize;
    private final int maxInflight;
    private final FlowMetrics metrics;
    private final Consumer<Forward> beforeFirstSend;
    private final Consumer<AckSequencer.Receipt> onDone;

    private final ArrayDeque<Forward> waiting = new ArrayDeque<>();
    private final ArrayDeque<Forward> resend = new ArrayDeque<>();
    /** QoS 1 messages sent on the current connection, by packet id, in sending order. */
    private final Map<Integer, Forward> inflight = new LinkedHashMap<>();
    /** PUBACKs that overtook the completion of their publish call. */
    private final Set<Integer> earlyAcks = new HashSet<>();
    private int sending;
    /** {@link #buffered()} as last computed on the loop, for metrics read from other threads. */
    private volatile int bufferedForMetrics;
    private long connection;
    private long droppedSinceLog;
    private long lastDropLog;

    /**
     * @param beforeFirstSend called once per message just before it is first published (loop prevention)
     * @param onDone          called when a QoS 1 message is safe on the target
     */
    public Forwarder(String name, Target target, int bufferSize, int maxInflight, FlowMetrics metrics,
            Consumer<Forward> beforeFirstSend, Consumer<AckSequencer.Receipt> onDone) {
        this.name = name;
        this.target = target;
        this.bufferSize = bufferSize;
        this.maxInflight = maxInflight;
        this.metrics = metrics;
        this.beforeFirstSend = beforeFirstSend;
        this.onDone = onDone;
    }

    /** A message for the target. */
    public void offer(Forward forward) {
        if (forward.qos() == 0 && buffered() >= bufferSize) {
            metrics.dropped("buffer_full");
            droppedSinceLog++;
            long now = System.nanoTime();
            if (now - lastDropLog > DROP_LOG_INTERVAL_NANOS) {
                LOG.warnf("bridge %s: buffer full (%d messages, bridge.bridges.*.buffer-size); dropped %d QoS 0"
                        + " messages while %s is slow or down", name, bufferSize, droppedSinceLog, target.address());
                droppedSinceLog = 0;
                lastDropLog = now;
            }
            return;
        }
        waiting.add(forward);
        pump();
    }

    /** Messages held: waiting, being sent, or sent and not yet acknowledged (on the bridge's loop). */
    public int buffered() {
        return waiting.size() + resend.size() + sending + inflight.size();
    }

    /** The same count, safe to read from any thread (metrics), as of the last change. */
    public int bufferedForMetrics() {
        return bufferedForMetrics;
    }

    public void targetConnected() {
        pump();
    }

    /** Everything sent on the lost connection and not acknowledged goes out again after the reconnect. */
    public void targetDisconnected() {
        connection++;
        List<Forward> unacked = new ArrayList<>(inflight.values());
        inflight.clear();
        earlyAcks.clear();
        for (int i = unacked.size() - 1; i >= 0; i--) {
            resend.addFirst(unacked.get(i));
        }
        bufferedForMetrics = buffered();
    }

    /** The target acknowledged a QoS 1 message. */
    public void published(int packetId) {
        Forward f = inflight.remove(packetId);
        if (f == null) {
            earlyAcks.add(packetId);
            bufferedForMetrics = buffered();
            return;
        }
        complete(f);
        pump();
    }

    /** The target did not acknowledge in time: send it again. */
    public void expired(int packetId) {
        Forward f = inflight.remove(packetId);
        if (f != null) {
            resend.addFirst(f);
            pump();
        }
    }

    private void pump() {
        while (target.isConnected() && sending + inflight.size() < maxInflight) {
            Forward f = resend.isEmpty() ? waiting.poll() : resend.poll();
            if (f == null) {
                break;
            }
            send(f);
        }
        bufferedForMetrics = buffered();
    }

    private void send(Forward f) {
        boolean again = !f.firstSend();
        if (again) {
            metrics.resent();
        } else {
            beforeFirstSend.accept(f);
        }
        sending++;
        long sentOn = connection;
        target.publish(f.topic(), f.payload(), f.qos(), again, f.retain()).onComplete(ar -> {
            sending--;
            if (ar.failed() || sentOn != connection) {
                // not connected (any more): keep it at the head and wait for the next connection
                resend.addFirst(f);
                bufferedForMetrics = buffered();
                return;
            }
            if (f.qos() == 0) {
                complete(f);
            } else if (earlyAcks.remove(ar.result())) {
                complete(f);
            } else {
                inflight.put(ar.result(), f);
            }
            pump();
        });
    }

    private void complete(Forward f) {
        metrics.forwarded();
        if (f.receipt() != null) {
            onDone.accept(f.receipt());
        }
    }
}
