package dev.mqttsuite.broker.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SharedSubscriptionTest extends BrokerTest {

    @Test
    void givenTwoMembers_whenMessagesArePublished_thenEachGoesToExactlyOneMember_balanced() throws Exception {
        String topic = unique("jobs");
        String shared = "$share/workers/" + topic;
        Mqtt5BlockingClient a = mqtt5(unique("a"));
        Mqtt5BlockingClient b = mqtt5(unique("b"));
        a.subscribeWith().topicFilter(shared).qos(MqttQos.AT_LEAST_ONCE).send();
        b.subscribeWith().topicFilter(shared).qos(MqttQos.AT_LEAST_ONCE).send();
        try (var pa = listen(a); var pb = listen(b)) {
            Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
            for (int i = 0; i < 20; i++) {
                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
            }
            List<String> gotA = drain(pa);
            List<String> gotB = drain(pb);
            assertThat(gotA.size() + gotB.size()).isEqualTo(20);
            Set<String> all = new HashSet<>(gotA);
            all.addAll(gotB);
            assertThat(all).as("no duplicates across members").hasSize(20);
            assertThat(gotA).as("round-robin reaches both members").hasSizeBetween(5, 15);
        }
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

    private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (true) {
            Optional<Mqtt5Publish> p = publishes.receive(700, TimeUnit.MILLISECONDS);
            if (p.isEmpty()) {
                return out;
            }
            out.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
    }
}
