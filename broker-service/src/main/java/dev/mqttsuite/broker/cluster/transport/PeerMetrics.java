package dev.mqttsuite.broker.cluster.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters of one peer link, tagged {@code peer=<node id>}: messages queued (admitted and not yet sent, plus QoS 1/2
 * waiting outside the window), in flight (sent, not acknowledged), forwarded (acknowledged by the peer), dropped (QoS 0
 * beyond the window) and the round trip of a frame. Removed when the peer leaves.
 */
final class PeerMetrics {

    private final MeterRegistry registry;
    private final Counter forwarded;
    private final Counter dropped;
    private final Timer rtt;
    private final List<Meter> meters;

    PeerMetrics(MeterRegistry registry, String peer, Supplier<Number> queued, Supplier<Number> inFlight) {
        this.registry = registry;
        Gauge queuedGauge = Gauge.builder("mqtt.cluster.forward.queued", queued).tag("peer", peer)
                .description("Messages for the peer not yet sent: in the window or (QoS 1/2) waiting for room")
                .register(registry);
        Gauge inFlightGauge = Gauge.builder("mqtt.cluster.forward.inflight", inFlight).tag("peer", peer)
                .description("Messages sent to the peer and not yet acknowledged").register(registry);
        forwarded = Counter.builder("mqtt.cluster.forward.messages").tag("peer", peer)
                .description("Messages the peer acknowledged").register(registry);
        dropped = Counter.builder("mqtt.cluster.forward.dropped").tag("peer", peer).tag("reason", "window_full")
                .description("QoS 0 messages for the peer dropped because its window was full").register(registry);
        rtt = Timer.builder("mqtt.cluster.forward.rtt").tag("peer", peer)
                .description("From sending a frame to the peer to its acknowledgement").register(registry);
        meters = List.of(queuedGauge, inFlightGauge, forwarded, dropped, rtt);
    }

    void dropped() {
        dropped.increment();
    }

    void acknowledged(int messages, long rttNanos) {
        forwarded.increment(messages);
        rtt.record(rttNanos, TimeUnit.NANOSECONDS);
    }

    double droppedCount() {
        return dropped.count();
    }

    double forwardedCount() {
        return forwarded.count();
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
