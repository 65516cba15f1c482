package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * ADR 0004: a subscriber that stops reading must neither make the broker buffer without bound nor cost acknowledged
 * QoS 1 messages. The publisher feeding it is paused (its socket is no longer read, so its PUBACKs are withheld) while
 * the subscriber's queue is above the high watermark, and resumes when the subscriber reads again. Every number below
 * comes from the MQTT clients or from {@code /q/metrics}.
 */
@QuarkusTest
class BackpressureTest extends BrokerTest {

    /**
     * Twice what the high watermark (1,000) plus the socket buffers in front of a reader that stopped hold (the
     * broker's auto-tuned send buffer takes up to 4 MiB on Linux: about 500 of these messages).
     */
    private static final int TOTAL = 3_000;
    private static final int PAYLOAD = 8 * 1024;

    @ConfigProperty(name = "broker.session.backpressure-high-watermark")
    int highWatermark;

    @ConfigProperty(name = "broker.session.backpressure-low-watermark")
    int lowWatermark;

    @Test
    void givenStalledQos1Subscriber_whenPublisherFloods_thenItIsHeldBack_andEveryMessageArrivesOnceInOrder()
            throws Exception {
        String topic = unique("flood");
        Scrape before = scrape();
        RawMqttClient stalled = raw(16 * 1024); // a small device's window, not one auto-tuned to megabytes
        stalled.connect311(unique("stalled"));
        stalled.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1},
                RawMqttClient.utf8(topic), new byte[] {1})));
        assertThat(stalled.read().type()).isEqualTo(RawMqttClient.SUBACK);
        // from here on the stalled client reads nothing until the publisher is held back

        Mqtt5AsyncClient publisher = mqtt5Builder(unique("flooder")).buildAsync();
        publisher.connect().join();
        onCleanup(() -> publisher.disconnect().completeOnTimeout(null, 5, TimeUnit.SECONDS).join());
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[TOTAL];
        for (int i = 0; i < TOTAL; i++) {
            acks[i] = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload(i)).send()
                    .thenRun(acknowledged::incrementAndGet);
        }

        // held back: the broker has paused the publisher and its acknowledgements stopped short of TOTAL
        AtomicInteger lastSeen = new AtomicInteger(-1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            int now = acknowledged.get();
            return pauses(scrape()) > pauses(before) && now == lastSeen.getAndSet(now);
        });
        assertThat(acknowledged.get()).as("PUBACKs are withheld while the only subscriber reads nothing")
                .isLessThan(TOTAL);
        assertOtherClientsAreNotHeldBack();

        // the subscriber reads (and acknowledges) again: the publisher resumes; the queue stays bounded throughout
        double maxQueued = 0;
        for (int expected = 0; expected < TOTAL; expected++) {
            if (expected % 100 == 0) {
                maxQueued = Math.max(maxQueued, queued(scrape()) - queued(before));
            }
            assertThat(readAndAcknowledge(stalled, topic)).as("QoS 1 messages arrive once and in the order published"
                    + " [MQTT-4.6.0-6], none resent on the same connection [MQTT-4.4.0-1]").isEqualTo(expected);
        }
        assertThat(maxQueued).as("the stalled subscriber's queue filled up to the watermarks, never above the high one")
                .isBetween((double) lowWatermark, (double) highWatermark);
        CompletableFuture.allOf(acks).get(30, TimeUnit.SECONDS);

        // nothing more is on its way: a message published now is the next one the subscriber gets
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload(TOTAL)).send()
                .get(5, TimeUnit.SECONDS);
        assertThat(readAndAcknowledge(stalled, topic)).as("no duplicate or extra message").isEqualTo(TOTAL);
    }

    /** A publisher and subscriber unrelated to the stalled one still get through at once. */
    private void assertOtherClientsAreNotHeldBack() throws Exception {
        String other = unique("unrelated");
        Mqtt5BlockingClient subscriber = mqtt5(unique("unrelated-sub"));
        subscriber.subscribeWith().topicFilter(other).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(subscriber)) {
            mqtt5(unique("unrelated-pub")).publishWith().topic(other).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).as("back-pressure pauses only the publishers feeding"
                    + " the stalled subscriber").isPresent();
        }
    }

    private static byte[] payload(int sequence) {
        return ByteBuffer.allocate(PAYLOAD).putInt(sequence).array();
    }

    /** Reads the next packet, which must be a QoS 1 PUBLISH without DUP, acknowledges it and returns its sequence. */
    private static int readAndAcknowledge(RawMqttClient client, String topic) throws Exception {
        RawMqttClient.Packet p = client.read();
        assertThat(p).as("connection open").isNotNull();
        assertThat(p.type()).as("PUBLISH").isEqualTo(RawMqttClient.PUBLISH);
        assertThat(p.header() & 0x0F).as("QoS 1, DUP=0, RETAIN=0").isEqualTo(0x02);
        int offset = 2 + topic.length();
        client.send(RawMqttClient.packet(0x40, new byte[] {p.body()[offset], p.body()[offset + 1]}));
        return ByteBuffer.wrap(p.body(), offset + 2, 4).getInt();
    }

    private static double pauses(Scrape s) {
        return s.value("mqtt_backpressure_pauses_total");
    }

    private static double queued(Scrape s) {
        return s.value("mqtt_messages_queued");
    }
}
