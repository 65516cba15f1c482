package dev.mqttsuite.broker.will;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WillTest extends BrokerTest {

    /** CONNECT (MQTT 5) with a will on {@code topic}, will delay {@code delay} s and session expiry {@code expiry} s. */
    private static byte[] connectWithWill(String clientId, String topic, int delay, int expiry) {
        return connectWithWill(clientId, topic, delay, expiry, "gone");
    }

    private static byte[] connectWithWill(String clientId, String topic, int delay, int expiry, String payload) {
        byte[] connectProps = {5, 0x11, 0, 0, (byte) (expiry >> 8), (byte) expiry};
        byte[] willProps = {11, 0x18, 0, 0, (byte) (delay >> 8), (byte) delay, 0x03, 0, 3, 't', 'x', 't'};
        byte[] body = RawMqttClient.concat(RawMqttClient.utf8("MQTT"), new byte[] {5, 0x0E, 0, 60}, // will, QoS 1
                connectProps, RawMqttClient.utf8(clientId), willProps, RawMqttClient.utf8(topic),
                RawMqttClient.utf8(payload));
        return RawMqttClient.packet(0x10, body);
    }

    @Test
    void givenWill_whenConnectionDropsWithoutDisconnect_thenWillIsPublishedWithItsProperties_MQTT_3_1_2_8()
            throws Exception {
        String topic = unique("will");
        Mqtt5BlockingClient watcher = mqtt5(unique("watch"));
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(watcher)) {
            RawMqttClient raw = raw();
            raw.send(connectWithWill(unique("dying"), topic, 0, 0));
            assertThat(raw.read().type()).isEqualTo(RawMqttClient.CONNACK);
            raw.close();
            Optional<Mqtt5Publish> will = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(will).isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
            assertThat(will.get().getContentType()).hasValueSatisfying(ct -> assertThat(ct.toString()).isEqualTo("txt"));
        }
    }

    @Test
    void givenWill_whenClientSendsNormalDisconnect_thenWillIsDiscarded_MQTT_3_14_4_3() throws Exception {
        String topic = unique("will");
        Mqtt5BlockingClient watcher = mqtt5(unique("watch"));
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(watcher)) {
            RawMqttClient polite = raw();
            polite.send(connectWithWill(unique("polite"), topic, 0, 0));
            assertThat(polite.read().type()).isEqualTo(RawMqttClient.CONNACK);
            polite.send(new byte[] {(byte) 0xE0, 0}); // DISCONNECT 0x00 Normal disconnection
            assertThat(polite.closedByServer()).as("the server closes after DISCONNECT [MQTT-3.14.4-1]").isTrue();
            // the broker has handled that close, where a will would be published: a message sent now comes after it
            mqtt5(unique("pub")).publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("no will").isEmpty();
        }
    }

    @Test
    void givenWill_whenClientDisconnectsWithReason0x04_thenWillIsPublished() throws Exception {
        String topic = unique("will");
        Mqtt5BlockingClient watcher = mqtt5(unique("watch"));
        watcher.subscribeWith().topicFilter(topic).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(watcher)) {
            Mqtt5BlockingClient client = mqtt5Builder(unique("with-will")).willPublish().topic(topic)
                    .payload("gone".getBytes()).applyWillPublish().buildBlocking();
            client.connect();
            client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).get().extracting(p -> new String(p.getPayloadAsBytes()))
                    .isEqualTo("gone");
        }
    }

    @Test
    void givenWillDelay_whenOneClientResumesWithinIt_thenOnlyTheAbsentClientsWillIsPublished_MQTT_3_1_3_9()
            throws Exception {
        String topic = unique("will");
        String resumingId = unique("flaky");
        Mqtt5BlockingClient watcher = mqtt5(unique("watch"));
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(watcher)) {
            RawMqttClient resuming = raw();
            resuming.send(connectWithWill(resumingId, topic, 1, 60, "resumer-will"));
            assertThat(resuming.read().type()).isEqualTo(RawMqttClient.CONNACK);
            RawMqttClient absent = raw();
            absent.send(connectWithWill(unique("away"), topic, 1, 60, "absent-will"));
            assertThat(absent.read().type()).isEqualTo(RawMqttClient.CONNACK);

            resuming.close();
            Mqtt5BlockingClient back = mqtt5Builder(resumingId).buildBlocking();
            assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent())
                    .as("resumed within the will delay").isTrue();
            onCleanup(back::disconnect);
            long closedAt = System.nanoTime();
            absent.close(); // later than the resuming client's close: its delay ends later

            Optional<Mqtt5Publish> first = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(first).as("the absent client's will, after its delay").isPresent();
            assertThat(System.nanoTime() - closedAt).as("not before the will delay")
                    .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
            assertThat(new String(first.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .as("the resumed client's will, whose delay ended first, was not published")
                    .isEqualTo("absent-will");
        }
    }
}
