package dev.mqttsuite.broker.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SharedSubscriptionTest extends BrokerTest {

    @Test
    void givenTwoMembers_whenMessagesArePublished_thenEachGoesToExactlyOneMember_balanced() throws Exception {
        String topic = unique("jobs");
        String shared = "$share/workers/" + topic;
        List<String> gotA = member(shared);
        List<String> gotB = member(shared);
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        for (int i = 0; i < 20; i++) {
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
        }
        // each member's queue is in order: once a later sentinel reached both, all earlier deliveries are in
        for (int sentinels = 0; !gotA.contains("sentinel") || !gotB.contains("sentinel"); sentinels++) {
            assertThat(sentinels).as("sentinels until both members got one").isLessThan(10);
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            int expected = sentinels + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> count(gotA, "sentinel") + count(gotB, "sentinel")
                    >= expected);
        }
        List<String> all = new ArrayList<>(gotA);
        all.addAll(gotB);
        all.removeIf("sentinel"::equals);
        assertThat(all).as("each message to exactly one member (MQTT 5.0 4.8.2)").hasSize(20).doesNotHaveDuplicates();
        assertThat(count(gotA, null)).as("round-robin reaches both members").isBetween(5L, 15L);
    }

    /** A connected member of {@code shared}; returns the payloads it receives, as they arrive. */
    private List<String> member(String shared) {
        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient client = mqtt5(unique("member"));
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        client.subscribeWith().topicFilter(shared).qos(MqttQos.AT_LEAST_ONCE).send();
        return received;
    }

    /** How many of {@code payloads} are {@code payload}, or (null) are not a sentinel. */
    private static long count(List<String> payloads, String payload) {
        return payloads.stream().filter(p -> payload == null ? !p.equals("sentinel") : p.equals(payload)).count();
    }

    @Test
    void givenMemberWithUnackedMessage_whenItDisconnects_thenAnotherMemberGetsTheMessage() throws Exception {
        String topic = unique("handoff");
        String shared = "$share/g/" + topic;
        RawMqttClient slow = raw();
        slow.connect5(unique("slow"));
        slow.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1, 0}, RawMqttClient.utf8(shared),
                new byte[] {1})));
        assertThat(slow.read().type()).isEqualTo(RawMqttClient.SUBACK);

        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("m1".getBytes()).send();
        RawMqttClient.Packet inflight = slow.read();
        assertThat(inflight.type()).as("only member gets it first").isEqualTo(RawMqttClient.PUBLISH);

        Mqtt5BlockingClient other = mqtt5(unique("other"));
        // register the receiving flow before subscribing: the hand-over can arrive right after the close
        try (var publishes = listen(other)) {
            other.subscribeWith().topicFilter(shared).qos(MqttQos.AT_LEAST_ONCE).send();
            slow.close(); // never acknowledged
            Optional<Mqtt5Publish> handedOver = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(handedOver).isPresent();
            assertThat(new String(handedOver.get().getPayloadAsBytes())).isEqualTo("m1");
        }
    }

    @Test
    void noLocalOnSharedSubscription_isAProtocolError_MQTT_3_8_3_4() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("nl"));
        raw.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1, 0},
                RawMqttClient.utf8("$share/g/x"), new byte[] {0x04})));
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x82);
    }
}
