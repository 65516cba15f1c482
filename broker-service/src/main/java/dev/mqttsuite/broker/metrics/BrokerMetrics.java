package dev.mqttsuite.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The broker's Micrometer meters (exported by Prometheus at {@code /q/metrics}) and the totals behind
 * {@code $SYS/broker/...}. Counters are lock-free (LongAdder inside Micrometer); safe from any event loop.
 */
public final class BrokerMetrics {

    /** Why a message was not delivered to a subscriber. */
    public enum DropReason {
        QUEUE_FULL, QOS0_OFFLINE, EXPIRED, TOO_LARGE_FOR_CLIENT, NOT_AUTHORIZED, NO_SHARED_MEMBER
    }

    private final MeterRegistry registry;
    private final AtomicLong connections = new AtomicLong();
    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder droppedTotal = new LongAdder();
    private final Counter[] receivedByQos = new Counter[3];
    private final Counter[] sentByQos = new Counter[3];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
    private final Counter backpressurePauses;
    private final Counter disconnectsByServer;
    private final PacketCounters packets;
    /** Per-session loss counters, only for sessions that lost messages; removed when the session ends. */
    private final Map<String, Meter.Id> sessionDrops = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Long>> sessionDropValues = new ConcurrentHashMap<>();

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("mqtt.connections", connections, AtomicLong::get)
                .description("Currently connected MQTT clients").register(registry);
        for (int qos = 0; qos < 3; qos++) {
            receivedByQos[qos] = Counter.builder("mqtt.messages.received").tag("qos", Integer.toString(qos))
                    .description("PUBLISH packets received from clients").register(registry);
            sentByQos[qos] = Counter.builder("mqtt.messages.sent").tag("qos", Integer.toString(qos))
                    .description("PUBLISH packets sent to clients").register(registry);
        }
        bytesIn = Counter.builder("mqtt.bytes.received").baseUnit("bytes").register(registry);
        bytesOut = Counter.builder("mqtt.bytes.sent").baseUnit("bytes").register(registry);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, Counter.builder("mqtt.messages.dropped").tag("reason", reason.name().toLowerCase())
                    .description("Messages not delivered to a subscriber, by reason").register(registry));
        }
        backpressurePauses = Counter.builder("mqtt.backpressure.pauses")
                .description("Times a publisher's socket was paused because a subscriber could not keep up")
                .register(registry);
        disconnectsByServer = Counter.builder("mqtt.disconnects.server")
                .description("Connections closed by the broker").register(registry);
        packets = new PacketCounters(registry);
    }

    public PacketCounters packets() {
        return packets;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Registers a gauge whose value is read on scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void connected() {
        connections.incrementAndGet();
        connectionsTotal.increment();
    }

    public void disconnected() {
        connections.decrementAndGet();
    }

    public void messageReceived(int qos, int bytes) {
        receivedByQos[qos].increment();
        messagesReceived.increment();
        bytesReceived.add(bytes);
        bytesIn.increment(bytes);
    }

    public void messageSent(int qos, int bytes) {
        sentByQos[qos].increment();
        messagesSent.increment();
        bytesSent.add(bytes);
        bytesOut.increment(bytes);
    }

    public void dropped(DropReason reason) {
        drops.get(reason).increment();
        droppedTotal.increment();
    }

    /**
     * A session lost its first message to its queue limits: from now on its count is exported as
     * {@code mqtt_session_messages_dropped_total{client_id}} and on {@code $SYS}.
     */
    public void droppedForSession(String clientId, Supplier<Long> count) {
        sessionDropValues.put(clientId, count);
        sessionDrops.computeIfAbsent(clientId, id -> FunctionCounter
                .builder("mqtt.session.messages.dropped", clientId, c -> {
                    Supplier<Long> value = sessionDropValues.get(c);
                    return value == null ? 0 : value.get();
                })
                .tag("client_id", clientId)
                .description("Messages a session lost to its queue limits (broker.session.queue-overflow)")
                .register(registry).getId());
    }

    /** The session ended: its loss counter goes. */
    public void forgetSession(String clientId) {
        sessionDropValues.remove(clientId);
        Meter.Id id = sessionDrops.remove(clientId);
        if (id != null) {
            registry.remove(id);
        }
    }

    /** Losses per session, for sessions that lost messages. */
    public Map<String, Long> sessionDrops() {
        Map<String, Long> out = new java.util.TreeMap<>();
        sessionDropValues.forEach((id, value) -> out.put(id, value.get()));
        return out;
    }

    public void backpressurePause() {
        backpressurePauses.increment();
    }

    public void serverDisconnect() {
        disconnectsByServer.increment();
    }

    public long connectionCount() {
        return connections.get();
    }

    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    public long messagesReceived() {
        return messagesReceived.sum();
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long droppedTotal() {
        return droppedTotal.sum();
    }

    public double droppedCount(DropReason reason) {
        return drops.get(reason).count();
    }
}
