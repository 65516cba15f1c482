package dev.mqttsuite.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProtocolLimitsTest extends BrokerTest {

    /** CONNECT (MQTT 5) with the given property bytes. */
    private static byte[] connect5(String clientId, byte... properties) {
        byte[] props = RawMqttClient.concat(new byte[] {(byte) properties.length}, properties);
        return RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {5, 0x02, 0, 60}, props, RawMqttClient.utf8(clientId)));
    }

    private static byte[] subscribe(int packetId, String filter, int options) {
        return RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, (byte) packetId, 0},
                RawMqttClient.utf8(filter), new byte[] {(byte) options}));
    }

    @Test
    void inboundTopicAlias_isRememberedAndResolved_MQTT_3_3_2_12() throws Exception {
        String topic = unique("alias");
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter(topic).send();
        try (var publishes = listen(subscriber)) {
            RawMqttClient raw = raw();
            raw.connect5(unique("aliaser"));
            // PUBLISH QoS 0 with topic + alias 3, then with empty topic + alias 3
            raw.send(RawMqttClient.packet(0x30, RawMqttClient.concat(RawMqttClient.utf8(topic),
                    new byte[] {3, 0x23, 0, 3}, "one".getBytes())));
            raw.send(RawMqttClient.packet(0x30, RawMqttClient.concat(RawMqttClient.utf8(""),
                    new byte[] {3, 0x23, 0, 3}, "two".getBytes())));
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("one");
            Optional<Mqtt5Publish> second = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(second).isPresent();
            assertThat(second.get().getTopic().toString()).isEqualTo(topic);
            assertThat(new String(second.get().getPayloadAsBytes())).isEqualTo("two");
        }
    }

    @Test
    void topicAliasZeroOrAboveMaximum_isDisconnectedWithTopicAliasInvalid_MQTT_3_3_2_8() throws Exception {
        for (int alias : new int[] {0, 65}) {
            RawMqttClient raw = raw();
            raw.connect5(unique("badalias"));
            raw.send(RawMqttClient.packet(0x30, RawMqttClient.concat(RawMqttClient.utf8("t"),
                    new byte[] {3, 0x23, (byte) (alias >> 8), (byte) alias}, "x".getBytes())));
            RawMqttClient.Packet disconnect = raw.read();
            assertThat(disconnect.type()).as("alias %d", alias).isEqualTo(RawMqttClient.DISCONNECT);
            assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x94);
        }
    }

    @Test
    void unknownAliasWithEmptyTopic_isAProtocolError() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("unknownalias"));
        raw.send(RawMqttClient.packet(0x30, RawMqttClient.concat(RawMqttClient.utf8(""),
                new byte[] {3, 0x23, 0, 9}, "x".getBytes())));
        assertThat(raw.read().body()[0] & 0xFF).isEqualTo(0x82);
    }

    @Test
    void outboundTopicAliases_areUsedForClientsThatAllowThem() throws Exception {
        String topic = unique("outalias");
        RawMqttClient raw = raw();
        raw.send(connect5(unique("aliasok"), (byte) 0x22, (byte) 0, (byte) 5)); // Topic Alias Maximum 5
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.CONNACK);
        raw.send(subscribe(1, topic, 0));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.SUBACK);
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).payload("1".getBytes()).send();
        publisher.publishWith().topic(topic).payload("2".getBytes()).send();
        RawMqttClient.Packet first = raw.read();
        RawMqttClient.Packet second = raw.read();
        int firstTopicLength = ((first.body()[0] & 0xFF) << 8) | (first.body()[1] & 0xFF);
        int secondTopicLength = ((second.body()[0] & 0xFF) << 8) | (second.body()[1] & 0xFF);
        assertThat(firstTopicLength).as("first PUBLISH carries the topic and sets the alias")
                .isEqualTo(topic.length());
        assertThat(secondTopicLength).as("second PUBLISH uses the alias with an empty topic").isZero();
    }

    @Test
    void givenClientMaximumPacketSize_thenLargerMessagesAreNotSentToIt_butToOthers_MQTT_3_1_2_25() throws Exception {
        String topic = unique("big");
        RawMqttClient small = raw();
        small.send(connect5(unique("small"), (byte) 0x27, (byte) 0, (byte) 0, (byte) 0, (byte) 100)); // max 100 B
        assertThat(small.read().type()).isEqualTo(RawMqttClient.CONNACK);
        small.send(subscribe(1, topic, 0));
        assertThat(small.read().type()).isEqualTo(RawMqttClient.SUBACK);
        Mqtt5BlockingClient large = mqtt5(unique("large"));
        large.subscribeWith().topicFilter(topic).send();
        try (var publishes = listen(large)) {
            Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
            publisher.publishWith().topic(topic).payload(new byte[500]).send();
            publisher.publishWith().topic(topic).payload("fits".getBytes()).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> p.getPayloadAsBytes().length).isEqualTo(500);
            RawMqttClient.Packet got = small.read();
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).endsWith("fits");
        }
    }

    @Test
    void givenClientReceiveMaximum_thenNoMoreThanThatManyQos1AreUnacknowledged_MQTT_4_9_0_2() throws Exception {
        String topic = unique("window");
        RawMqttClient raw = raw();
        raw.send(connect5(unique("window"), (byte) 0x21, (byte) 0, (byte) 2)); // Receive Maximum 2
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.CONNACK);
        raw.send(subscribe(1, topic, 1));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.SUBACK);
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        for (int i = 0; i < 5; i++) {
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {(byte) i}).send();
        }
        RawMqttClient.Packet p1 = raw.read();
        RawMqttClient.Packet p2 = raw.read();
        assertThat(p1.type()).isEqualTo(RawMqttClient.PUBLISH);
        assertThat(p2.type()).isEqualTo(RawMqttClient.PUBLISH);
        // all 5 are queued (the publisher got its PUBACKs): whatever the window let through is ahead of a PINGRESP
        assertThat(pingThenRead(raw).type()).as("third PUBLISH waits for an acknowledgement")
                .isEqualTo(RawMqttClient.PINGRESP);
        int packetId = packetIdOf(p1, topic);
        raw.send(RawMqttClient.packet(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId}));
        RawMqttClient.Packet p3 = raw.read();
        assertThat(p3.type()).as("window opened by PUBACK").isEqualTo(RawMqttClient.PUBLISH);
        assertThat(p3.body()[p3.body().length - 1]).as("the third message").isEqualTo((byte) 2);
        assertThat(pingThenRead(raw).type()).as("one PUBACK opens one slot").isEqualTo(RawMqttClient.PINGRESP);
    }

    private static RawMqttClient.Packet pingThenRead(RawMqttClient raw) throws Exception {
        raw.send(new byte[] {(byte) 0xC0, 0});
        return raw.read();
    }

    private static int packetIdOf(RawMqttClient.Packet publish, String topic) {
        int offset = 2 + topic.length();
        return ((publish.body()[offset] & 0xFF) << 8) | (publish.body()[offset + 1] & 0xFF);
    }

    @Test
    void messageExpiry_isForwardedAsTheRemainingInterval_MQTT_3_3_2_6() throws Exception {
        String topic = unique("expiry");
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter(topic).send();
        try (var publishes = listen(subscriber)) {
            mqtt5(unique("pub")).publishWith().topic(topic).messageExpiryInterval(60).payload(new byte[] {1}).send();
            Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(p).isPresent();
            assertThat(p.get().getMessageExpiryInterval().orElseThrow()).isBetween(59L, 60L);
        }
    }

    @Test
    void mqtt5Properties_arePassedThroughUntouched() throws Exception {
        String topic = unique("props");
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter(topic).send();
        try (var publishes = listen(subscriber)) {
            mqtt5(unique("pub")).publishWith().topic(topic).contentType("application/json")
                    .responseTopic("reply/here").correlationData("corr".getBytes())
                    .payloadFormatIndicator(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8)
                    .userProperties().add("k", "v1").add("k", "v2").applyUserProperties()
                    .payload("{}".getBytes()).send();
            Mqtt5Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getContentType()).hasValueSatisfying(v -> assertThat(v.toString()).isEqualTo("application/json"));
            assertThat(p.getResponseTopic()).hasValueSatisfying(v -> assertThat(v.toString()).isEqualTo("reply/here"));
            assertThat(p.getCorrelationData()).hasValueSatisfying(v -> assertThat(StandardCharsets.UTF_8.decode(v)
                    .toString()).isEqualTo("corr"));
            assertThat(p.getPayloadFormatIndicator())
                    .hasValue(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(p.getUserProperties().asList()).extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("k=v1", "k=v2");
        }
    }

    @Test
    void invalidUtf8PayloadWithFormatIndicator_getsPayloadFormatInvalid() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("badpayload"));
        raw.send(RawMqttClient.packet(0x32, RawMqttClient.concat(RawMqttClient.utf8(unique("t")),
                new byte[] {0, 7, 2, 0x01, 1}, new byte[] {(byte) 0xC3, (byte) 0x28})));
        RawMqttClient.Packet puback = raw.read();
        assertThat(puback.type()).isEqualTo(RawMqttClient.PUBACK);
        assertThat(puback.body()[2] & 0xFF).isEqualTo(0x99);
    }
}
