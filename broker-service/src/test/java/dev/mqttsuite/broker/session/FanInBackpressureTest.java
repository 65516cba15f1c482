package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Fan-in overload with small session queues, so that any overshoot past a paused publisher would overflow them. */
@QuarkusTest
@TestProfile(FanInBackpressureTest.SmallQueues.class)
class FanInBackpressureTest extends BrokerTest {

    public static class SmallQueues implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.session.max-queued-messages", "1000",
                    "broker.session.backpressure-high-watermark", "100",
                    "broker.session.backpressure-low-watermark", "20");
        }
    }

    /**
     * Many publishers at once: packets a publisher had already sent when it was paused wait at that publisher's
     * connection instead of overflowing the subscriber's queue, so no acknowledged QoS 1 message is dropped.
     */
    @Test
    void givenFiftyPublishersFloodingAStalledSubscriber_thenNoAcknowledgedMessageIsDropped() throws Exception {
        String topic = unique("fanin");
        double droppedBefore = broker.core().metrics().droppedCount(DropReason.QUEUE_FULL);
        RawMqttClient stalled = raw();
        stalled.connect311(unique("stalled-fanin"));
        stalled.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1},
                RawMqttClient.utf8(topic), new byte[] {1})));
        assertThat(stalled.read().type()).isEqualTo(RawMqttClient.SUBACK);
        java.util.List<CompletableFuture<?>> acks = new java.util.ArrayList<>();
        java.util.List<Mqtt5AsyncClient> publishers = new java.util.ArrayList<>();
        for (int p = 0; p < 50; p++) {
            Mqtt5AsyncClient publisher = mqtt5Builder(unique("flood-" + p)).buildAsync();
            publisher.connect().join();
            publishers.add(publisher);
            for (int i = 0; i < 600; i++) {
                acks.add(publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[512])
                        .send());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.core().metrics().registry()
                .counter("mqtt.backpressure.pauses").count() > 0);
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    RawMqttClient.Packet p = stalled.read();
                    if (p == null) {
                        return;
                    }
                    if (p.type() == RawMqttClient.PUBLISH) {
                        int offset = 2 + topic.length();
                        stalled.send(RawMqttClient.packet(0x40, new byte[] {p.body()[offset], p.body()[offset + 1]}));
                    }
                }
            } catch (Exception ignored) {
                // test ends
            }
        });
        reader.setDaemon(true);
        reader.start();
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(broker.core().metrics().droppedCount(DropReason.QUEUE_FULL))
                .as("no message dropped for a full queue").isEqualTo(droppedBefore);
        publishers.forEach(p -> p.disconnect().join());
    }
}
