package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PersistentSessionTest extends BrokerTest {

    private Mqtt5BlockingClient persistent(String id, boolean cleanStart) {
        Mqtt5BlockingClient client = mqtt5Builder(id).buildBlocking();
        client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(300).send();
        onCleanup(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    @Test
    void givenOfflinePersistentSession_whenQos1MessagesArePublished_thenTheyAreDeliveredInOrderOnReconnect()
            throws Exception {
        String id = unique("offline");
        String topic = unique("queued");
        Mqtt5BlockingClient subscriber = persistent(id, true);
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();

        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload("qos0".getBytes()).send();
        for (int i = 0; i < 20; i++) { // acknowledged, so routed like the QoS 0 message before them
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
        }

        Mqtt5BlockingClient back = mqtt5Builder(id).buildBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(back)) {
            assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent())
                    .as("session present [MQTT-3.2.2-2]").isTrue();
            onCleanup(back::disconnect);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).as("message %d", i).isPresent();
                received.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(received).as("in order; QoS 0 is not queued for offline sessions by default")
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
                    "13", "14", "15", "16", "17", "18", "19");
            publisher.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("the QoS 0 message was not queued at all").isEmpty();
        }
    }

    @Test
    void givenCleanStart_whenReconnecting_thenOldSessionAndItsSubscriptionsAreGone_MQTT_3_1_2_4() throws Exception {
        String id = unique("clean");
        String topic = unique("gone");
        Mqtt5BlockingClient first = persistent(id, true);
        first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();
        Mqtt5BlockingClient second = mqtt5Builder(id).buildBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(second)) {
            assertThat(second.connectWith().cleanStart(true).sessionExpiryInterval(300).send().isSessionPresent())
                    .isFalse();
            onCleanup(second::disconnect);
            Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("to-old-subscription".getBytes())
                    .send();
            second.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("the old session's subscription did not survive")
                    .isEmpty();
        }
    }

    @Test
    void givenSessionExpiryZero_whenDisconnected_thenSessionEnds() {
        String id = unique("expiry0");
        Mqtt5BlockingClient first = mqtt5Builder(id).buildBlocking();
        first.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        first.disconnect();
        Mqtt5BlockingClient second = mqtt5Builder(id).buildBlocking();
        assertThat(second.connectWith().cleanStart(false).send().isSessionPresent()).isFalse();
        second.disconnect();
    }

    @Test
    void givenSessionExpiry_whenItPasses_thenSessionIsGone_MQTT_3_1_2_23() throws Exception {
        String id = unique("expiry1");
        String topic = unique("expiring-session");
        Mqtt5BlockingClient first = mqtt5Builder(id).buildBlocking();
        first.connectWith().cleanStart(true).sessionExpiryInterval(1).send();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        // while the offline session lives, its subscription matches; once it expired, nothing does
        assertThat(publishReason(publisher, topic)).as("the session outlives its connection")
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> publishReason(publisher, topic) == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        Mqtt5BlockingClient second = mqtt5Builder(id).buildBlocking();
        assertThat(second.connectWith().cleanStart(false).sessionExpiryInterval(10).send().isSessionPresent())
                .isFalse();
        second.disconnect();
    }

    private static Mqtt5PubAckReasonCode publishReason(Mqtt5BlockingClient publisher, String topic) {
        Mqtt5PublishResult result = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send();
        return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    }

    @Test
    void givenUnacknowledgedQos1_whenClientReconnects_thenMessageIsResentWithDup_MQTT_4_4_0_1() throws Exception {
        String id = unique("resend");
        String topic = unique("unacked");
        var raw = raw();
        byte[] body = dev.mqttsuite.broker.support.RawMqttClient.concat(
                dev.mqttsuite.broker.support.RawMqttClient.utf8("MQTT"),
                new byte[] {5, 0x00, 0, 60, 5, 0x11, 0, 0, 0x01, 0x2C}, // clean start 0, session expiry 300
                dev.mqttsuite.broker.support.RawMqttClient.utf8(id));
        raw.send(dev.mqttsuite.broker.support.RawMqttClient.packet(0x10, body));
        assertThat(raw.read().type()).isEqualTo(2);
        byte[] subscribe = dev.mqttsuite.broker.support.RawMqttClient.concat(new byte[] {0, 1, 0},
                dev.mqttsuite.broker.support.RawMqttClient.utf8(topic), new byte[] {1});
        raw.send(dev.mqttsuite.broker.support.RawMqttClient.packet(0x82, subscribe));
        assertThat(raw.read().type()).isEqualTo(9);
        mqtt5(unique("pub")).publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {42}).send();
        var first = raw.read();
        assertThat(first.type()).isEqualTo(3);
        assertThat(first.header() & 0x08).as("first delivery has DUP=0").isZero();
        raw.close(); // no PUBACK

        var again = raw();
        again.send(dev.mqttsuite.broker.support.RawMqttClient.packet(0x10, body));
        var connack = again.read();
        assertThat(connack.body()[0] & 1).as("session present").isEqualTo(1);
        var resent = again.read();
        assertThat(resent.type()).isEqualTo(3);
        assertThat(resent.header() & 0x08).as("resent with DUP=1 [MQTT-3.3.1-1]").isEqualTo(0x08);
    }
}
