package dev.mqttsuite.bridge;

import dev.mqttsuite.bridge.connect.Endpoint;
import dev.mqttsuite.bridge.flow.AckSequencer;
import dev.mqttsuite.bridge.flow.EchoFilter;
import dev.mqttsuite.bridge.flow.FlowMetrics;
import dev.mqttsuite.bridge.flow.Forward;
import dev.mqttsuite.bridge.flow.Forwarder;
import dev.mqttsuite.bridge.route.Routes;
import dev.mqttsuite.bridge.route.Side;
import dev.mqttsuite.bridge.route.TopicRoute;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One configured bridge: a session to our broker, a session to the remote one, and a {@link Forwarder} per
 * direction in use. Messages arriving on one side are checked for being the bridge's own echo, routed by the first
 * matching rule, mapped to the other side's topic and handed to that side's forwarder. All of it runs on one Vert.x
 * event-loop context per bridge, so none of it needs locks.
 */
public final class Bridge implements Endpoint.Listener {

    private static final Logger LOG = Logger.getLogger(Bridge.class);

    private final String name;
    private final Routes routes;
    private final boolean forwardRetained;
    private final boolean remoteRequired;
    private final Map<Side, Endpoint> endpoints = new EnumMap<>(Side.class);
    /** Forwarders by the side their messages come from. */
    private final Map<Side, Forwarder> forwarders = new EnumMap<>(Side.class);
    /** Echoes expected, by the side the bridge published them on. */
    private final Map<Side, EchoFilter> echoes = new EnumMap<>(Side.class);
    private final Map<Side, AckSequencer> acks = new EnumMap<>(Side.class);
    private final Map<Side, Counter> loops = new EnumMap<>(Side.class);
    private final Map<Side, Counter> unrouted = new EnumMap<>(Side.class);

    Bridge(String name, Routes routes, boolean forwardRetained, boolean remoteRequired, Endpoint local,
            Endpoint remote, int bufferSize, int maxInflight, long loopWindowNanos, MeterRegistry registry) {
        this.name = name;
        this.routes = routes;
        this.forwardRetained = forwardRetained;
        this.remoteRequired = remoteRequired;
        endpoints.put(Side.LOCAL, local);
        endpoints.put(Side.REMOTE, remote);
        for (Side side : Side.values()) {
            acks.put(side, new AckSequencer());
            echoes.put(side, new EchoFilter(loopWindowNanos, Math.max(1000, bufferSize + maxInflight) * 4));
            Tags tags = Tags.of("bridge", name, "direction", side.flowName());
            loops.put(side, Counter.builder("bridge_loops_suppressed").tags(tags)
                    .description("Messages recognised as the bridge's own echo and not forwarded back")
                    .register(registry));
            unrouted.put(side, Counter.builder("bridge_dropped").tags(tags.and("reason", "no_rule"))
                    .description("Messages not forwarded").register(registry));
            if (routes.anyFrom(side)) {
                Forwarder f = new Forwarder(name + " " + side.flowName(), endpoints.get(side.other()), bufferSize,
                        maxInflight, metrics(registry, tags), fwd -> expectEcho(side.other(), fwd),
                        receipt -> acks.get(side).done(receipt));
                forwarders.put(side, f);
                Gauge.builder("bridge_buffered", f, Forwarder::bufferedForMetrics).tags(tags)
                        .description("Messages held by the bridge: waiting, or sent and not yet acknowledged")
                        .register(registry);
                for (TopicRoute rule : routes.all()) {
                    if (rule.flowsFrom(side)) {
                        endpoints.get(side).subscribe(rule.filterOn(side).value(), rule.qos());
                    }
                }
            }
        }
        for (Endpoint e : endpoints.values()) {
            Tags tags = Tags.of("bridge", name, "side", e.side() == Side.LOCAL ? "local" : "remote");
            Gauge.builder("bridge_connected", e, ep -> ep.isConnected() ? 1 : 0).tags(tags)
                    .description("1 while the side's broker is connected").register(registry);
            FunctionCounter.builder("bridge_reconnects", e, Endpoint::reconnects).tags(tags)
                    .description("Connection attempts after a loss or a refused connection").register(registry);
            Gauge.builder("bridge_last_error_timestamp_seconds", e,
                    ep -> ep.lastErrorAt() == null ? 0 : ep.lastErrorAt().toEpochMilli() / 1000.0).tags(tags)
                    .description("When the side's connection last failed (0: never); the message is in /q/health")
                    .register(registry);
        }
    }

    private static FlowMetrics metrics(MeterRegistry registry, Tags tags) {
        Counter forwarded = Counter.builder("bridge_forwarded").tags(tags)
                .description("Messages the target broker accepted").register(registry);
        Counter resent = Counter.builder("bridge_resent").tags(tags)
                .description("Messages sent again after a reconnect or an acknowledgement timeout").register(registry);
        return new FlowMetrics() {
            @Override
            public void forwarded() {
                forwarded.increment();
            }

            @Override
            public void dropped(String reason) {
                registry.counter("bridge_dropped", tags.and("reason", reason)).increment();
            }

            @Override
            public void resent() {
                resent.increment();
            }
        };
    }

    void start() {
        endpoints.values().forEach(e -> e.start(this));
    }

    Future<Void> stop() {
        return Future.join(endpoints.get(Side.LOCAL).stop(), endpoints.get(Side.REMOTE).stop()).mapEmpty();
    }

    private void expectEcho(Side publishedOn, Forward f) {
        try {
            if (routes.echoExpected(publishedOn, TopicName.of(f.topic()))) {
                echoes.get(publishedOn).expect(f.topic(), f.payload(), System.nanoTime());
            }
        } catch (InvalidTopicException e) {
            // mapped topics are valid by construction (prefixes are checked at startup)
        }
    }

    @Override
    public void connected(Endpoint endpoint) {
        Forwarder toHere = forwarders.get(endpoint.side().other());
        if (toHere != null) {
            toHere.targetConnected();
        }
    }

    @Override
    public void disconnected(Endpoint endpoint) {
        acks.get(endpoint.side()).connectionLost();
        Forwarder toHere = forwarders.get(endpoint.side().other());
        if (toHere != null) {
            toHere.targetDisconnected();
        }
    }

    @Override
    public void message(Endpoint endpoint, MqttPublishMessage message) {
        Side from = endpoint.side();
        String topic = message.topicName();
        byte[] payload = message.payload().getBytes();
        int qos = message.qosLevel().value();
        AckSequencer sequencer = acks.get(from);
        AckSequencer.Receipt receipt = qos > 0 ? sequencer.arrived(message::ack) : null;
        if (echoes.get(from).consume(topic, payload, System.nanoTime())) {
            loops.get(from.other()).increment();
            finish(sequencer, receipt);
            return;
        }
        Optional<TopicRoute> route;
        try {
            route = routes.routeFrom(from, TopicName.of(topic));
        } catch (InvalidTopicException e) {
            route = Optional.empty();
        }
        Forwarder forwarder = forwarders.get(from);
        if (route.isEmpty() || forwarder == null) {
            // e.g. a message for an overlapping subscription that a rule of the other direction made
            unrouted.get(from).increment();
            LOG.debugf("bridge %s: no rule carries %s from the %s side", name, topic, from);
            finish(sequencer, receipt);
            return;
        }
        TopicRoute rule = route.get();
        forwarder.offer(new Forward(rule.map(from, topic), payload, Math.min(qos, rule.qos()),
                forwardRetained && message.isRetain(), receipt));
    }

    private static void finish(AckSequencer sequencer, AckSequencer.Receipt receipt) {
        if (receipt != null) {
            sequencer.done(receipt);
        }
    }

    @Override
    public void published(Endpoint endpoint, int packetId) {
        Forwarder toHere = forwarders.get(endpoint.side().other());
        if (toHere != null) {
            toHere.published(packetId);
        }
    }

    @Override
    public void publishExpired(Endpoint endpoint, int packetId) {
        Forwarder toHere = forwarders.get(endpoint.side().other());
        if (toHere != null) {
            toHere.expired(packetId);
        }
    }

    public String name() {
        return name;
    }

    public Endpoint endpoint(Side side) {
        return endpoints.get(side);
    }

    public boolean remoteRequired() {
        return remoteRequired;
    }
}
