package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private static final int PUBLISHERS = 50;
    private static final int EACH = 600;

    /**
     * Many publishers at once: packets a publisher had already sent when it was paused wait at that publisher's
     * connection instead of overflowing the subscriber's queue (1,000), so no acknowledged QoS 1 message is dropped and
     * each publisher's messages arrive once, in order [MQTT-4.6.0-6].
     */
    @Test
    void givenFiftyPublishersFloodingAStalledSubscriber_thenNoAcknowledgedMessageIsDropped() throws Exception {
        String topic = unique("fanin");
        Scrape before = scrape();
        RawMqttClient stalled = raw();
        stalled.connect311(unique("stalled-fanin"));
        stalled.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1},
                RawMqttClient.utf8(topic), new byte[] {1})));
        assertThat(stalled.read().type()).isEqualTo(RawMqttClient.SUBACK);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            Mqtt5AsyncClient publisher = mqtt5Builder(unique("flood-" + p)).buildAsync();
            publisher.connect().join();
            onCleanup(() -> publisher.disconnect().completeOnTimeout(null, 5, TimeUnit.SECONDS).join());
            for (int i = 0; i < EACH; i++) {
                byte[] payload = ByteBuffer.allocate(512).putInt(p).putInt(i).array();
                acks.add(publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pauses(scrape()) > pauses(before));

        int[] next = new int[PUBLISHERS];
        int offset = 2 + topic.length();
        for (int n = 0; n < PUBLISHERS * EACH; n++) {
            RawMqttClient.Packet p = stalled.read();
            assertThat(p).as("connection open after %d messages", n).isNotNull();
            assertThat(p.type()).isEqualTo(RawMqttClient.PUBLISH);
            stalled.send(RawMqttClient.packet(0x40, new byte[] {p.body()[offset], p.body()[offset + 1]}));
            ByteBuffer payload = ByteBuffer.wrap(p.body(), offset + 2, 8);
            int publisher = payload.getInt();
            assertThat(payload.getInt()).as("publisher %d's next message, once and in order", publisher)
                    .isEqualTo(next[publisher]++);
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        assertThat(queueFullDrops(scrape())).as("no message dropped for a full queue")
                .isEqualTo(queueFullDrops(before));
    }

    private static double pauses(Scrape s) {
        return s.value("mqtt_backpressure_pauses_total");
    }

    private static double queueFullDrops(Scrape s) {
        return s.value("mqtt_messages_dropped_total", "reason=\"queue_full\"");
    }
}
