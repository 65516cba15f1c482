package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading must not make the broker buffer without bound or drop acknowledged QoS 1 messages:
 * the publisher is slowed down through TCP back-pressure instead, and resumes when the subscriber reads again.
 */
@QuarkusTest
class BackpressureTest extends BrokerTest {

    @Test
    void givenStalledSubscriber_whenPublisherFloodsAtQos1_thenPublisherIsPausedAndNothingIsDropped() throws Exception {
        String topic = unique("flood");
        double droppedBefore = broker.core().metrics().droppedCount(DropReason.QUEUE_FULL);
        RawMqttClient stalled = raw();
        stalled.connect311(unique("stalled"));
        stalled.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1},
                RawMqttClient.utf8(topic), new byte[] {1})));
        assertThat(stalled.read().type()).isEqualTo(RawMqttClient.SUBACK);
        // from here on the stalled client reads nothing

        Mqtt5AsyncClient publisher = mqtt5Builder(unique("flooder")).buildAsync();
        publisher.connect().join();
        onCleanup(() -> publisher.disconnect().join());
        int total = 20_000;
        byte[] payload = new byte[512];
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[total];
        for (int i = 0; i < total; i++) {
            acks[i] = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .thenRun(acknowledged::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.core().metrics().registry()
                .counter("mqtt.backpressure.pauses").count() > 0);
        int stalledAt = acknowledged.get();
        assertThat(stalledAt).as("publisher is held back while the subscriber does not read").isLessThan(total);
        Session session = broker.core().sessions().all().stream()
                .filter(s -> s.clientId().startsWith("stalled")).findFirst().orElseThrow();
        assertThat(session.queuedMessages()).as("queue stays bounded near the high watermark")
                .isLessThanOrEqualTo(10_000);

        // the subscriber starts reading (and acknowledging): everything flows, nothing was dropped
        Thread reader = new Thread(() -> {
            try {
                int received = 0;
                while (received < total) {
                    RawMqttClient.Packet p = stalled.read();
                    if (p == null) {
                        return;
                    }
                    if (p.type() == RawMqttClient.PUBLISH) {
                        int offset = 2 + topic.length();
                        stalled.send(RawMqttClient.packet(0x40, new byte[] {p.body()[offset], p.body()[offset + 1]}));
                        received++;
                    }
                }
            } catch (Exception ignored) {
                // test ends
            }
        });
        reader.setDaemon(true);
        reader.start();
        CompletableFuture.allOf(acks).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(acknowledged.get()).isEqualTo(total);
        assertThat(broker.core().metrics().droppedCount(DropReason.QUEUE_FULL)).isEqualTo(droppedBefore);
        reader.join(30_000);
    }
}
