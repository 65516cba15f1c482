package dev.mqttsuite.broker.protocol;

import static dev.mqttsuite.broker.support.RawMqttClient.concat;
import static dev.mqttsuite.broker.support.RawMqttClient.packet;
import static dev.mqttsuite.broker.support.RawMqttClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or illegal packet after CONNECT gets DISCONNECT with the specification's reason code and the
 * connection is closed; nothing reaches other clients.
 */
@QuarkusTest
class MalformedPacketTest extends BrokerTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("QoS 3 in PUBLISH [MQTT-3.3.1-4]", packet(0x36, concat(utf8("t"), new byte[] {0, 1, 0})),
                        0x81),
                Arguments.of("SUBSCRIBE with reserved flags 0000 [MQTT-3.8.1-1]",
                        packet(0x80, concat(new byte[] {0, 1, 0}, utf8("t"), new byte[] {0})), 0x81),
                Arguments.of("PUBREL with reserved flags 0000 [MQTT-3.6.1-1]", packet(0x60, new byte[] {0, 1}), 0x81),
                Arguments.of("remaining length longer than 4 bytes [MQTT-1.5.5]",
                        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, 0x81),
                Arguments.of("wildcard '#' in a PUBLISH topic [MQTT-3.3.2-2]",
                        packet(0x30, concat(utf8("a/#"), new byte[] {0}, "x".getBytes())), 0x90),
                Arguments.of("wildcard '+' in a PUBLISH topic [MQTT-3.3.2-2]",
                        packet(0x30, concat(utf8("a/+/b"), new byte[] {0}, "x".getBytes())), 0x90),
                Arguments.of("packet identifier 0 [MQTT-2.2.1-3]",
                        packet(0x32, concat(utf8("t"), new byte[] {0, 0, 0}, "x".getBytes())), 0x81),
                Arguments.of("Subscription Identifier in a client PUBLISH [MQTT-3.3.4-6]",
                        packet(0x30, concat(utf8("t"), new byte[] {2, 0x0B, 1}, "x".getBytes())), 0x82),
                Arguments.of("Retain Handling 3 in SUBSCRIBE [MQTT-3.8.3-?]",
                        packet(0x82, concat(new byte[] {0, 1, 0}, utf8("t"), new byte[] {0x30})), 0x82),
                Arguments.of("reserved subscription option bits [MQTT-3.8.3-5]",
                        packet(0x82, concat(new byte[] {0, 1, 0}, utf8("t"), new byte[] {(byte) 0xC0})), 0x81),
                Arguments.of("PINGREQ with a body", packet(0xC0, new byte[] {1}), 0x81),
                Arguments.of("PUBACK with an invalid reason code 0x05",
                        packet(0x40, new byte[] {0, 1, 0x05}), 0x81),
                Arguments.of("DISCONNECT with reserved flags", new byte[] {(byte) 0xE1, 0}, 0x81),
                Arguments.of("string length beyond the packet", packet(0x30, new byte[] {0, 50, 'a'}), 0x81),
                Arguments.of("U+0000 in a PUBLISH topic [MQTT-1.5.4-2]",
                        packet(0x30, concat(utf8("a\u0000b"), new byte[] {0}, "x".getBytes())), 0x81),
                Arguments.of("ill-formed UTF-8 in a PUBLISH topic [MQTT-1.5.4-1]",
                        packet(0x30, concat(new byte[] {0, 2, (byte) 0xC3, 0x28}, new byte[] {0}, "x".getBytes())),
                        0x81),
                Arguments.of("UTF-16 surrogate encoded in a PUBLISH topic [MQTT-1.5.4-1]",
                        packet(0x30, concat(new byte[] {0, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {0},
                                "x".getBytes())), 0x81),
                Arguments.of("same property twice (Content Type) [MQTT-2.2.2-?]",
                        packet(0x30, concat(utf8("t"), new byte[] {8, 0x03, 0, 1, 'a', 0x03, 0, 1, 'b'},
                                "x".getBytes())), 0x82),
                Arguments.of("unknown property identifier 0x7F",
                        packet(0x30, concat(utf8("t"), new byte[] {2, 0x7F, 0}, "x".getBytes())), 0x81),
                Arguments.of("property not allowed in PUBLISH (Session Expiry Interval)",
                        packet(0x30, concat(utf8("t"), new byte[] {5, 0x11, 0, 0, 0, 1}, "x".getBytes())), 0x81),
                Arguments.of("SUBSCRIBE without any filter [MQTT-3.8.3-2]", packet(0x82, new byte[] {0, 1, 0}), 0x82),
                Arguments.of("packet type 0 (reserved)", new byte[] {0x00, 0}, 0x81),
                Arguments.of("UNSUBSCRIBE without any filter [MQTT-3.10.3-2]", packet(0xA2, new byte[] {0, 1, 0}),
                        0x82),
                Arguments.of("CONNACK sent by a client", packet(0x20, new byte[] {0, 0, 0}), 0x82),
                Arguments.of("packet above broker.limits.max-packet-size, refused from its fixed header [MQTT-3.2.2-15]",
                        oversizeHeaderOnly(), 0x95));
    }

    /** A PUBLISH fixed header announcing 1,048,600 bytes and the first few of them: the rest is never needed. */
    private static byte[] oversizeHeaderOnly() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        RawMqttClient.writeVarInt(out, 1_048_600);
        out.writeBytes(concat(utf8("t"), new byte[] {0}));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} -> DISCONNECT 0x{2}")
    @MethodSource("malformed")
    void malformedPacket_getsDisconnectWithReasonCode_andHarmsNoOtherClient(String label, byte[] bytes, int reason)
            throws Exception {
        Mqtt5BlockingClient bystander = mqtt5(unique("bystander"));
        String topic = unique("bystander");
        bystander.subscribeWith().topicFilter(topic).send();

        RawMqttClient raw = raw();
        assertThat(raw.connect5(unique("bad")).type()).isEqualTo(RawMqttClient.CONNACK);
        raw.send(bytes);
        RawMqttClient.Packet answer = raw.read();
        assertThat(answer).as(label + ": DISCONNECT expected").isNotNull();
        assertThat(answer.type()).as(label).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(answer.body()[0] & 0xFF).as(label + ": reason code").isEqualTo(reason);
        assertThat(raw.closedByServer()).as(label + ": connection closed").isTrue();

        try (var publishes = listen(bystander)) {
            mqtt5(unique("pub")).publishWith().topic(topic).payload(new byte[] {1}).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).as("other clients unaffected").isPresent();
        }
    }
}
