package dev.mqttsuite.broker.fuzz;

import static dev.mqttsuite.broker.support.RawMqttClient.concat;
import static dev.mqttsuite.broker.support.RawMqttClient.lengthPrefixed;
import static dev.mqttsuite.broker.support.RawMqttClient.packet;
import static dev.mqttsuite.broker.support.RawMqttClient.utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid packets of every MQTT control packet type (CONNECT to AUTH), at MQTT 3.1.1 (level 4) and 5.0 (level 5),
 * written from the specifications: the seeds the {@link Mutator} changes. Packets a client must not send (CONNACK,
 * SUBACK, UNSUBACK, PINGRESP, a second CONNECT, AUTH in 3.1.1) are in, so that their refusal paths run too.
 */
final class FuzzCorpus {

    private FuzzCorpus() {
    }

    /** The CONNECT that opens every fuzzed connection (clean start, keep alive 60 s, no session expiry). */
    static byte[] connect(int level, String clientId) {
        byte[] props = level == 5 ? new byte[] {0} : new byte[0]; // session ends with the connection
        return packet(0x10, concat(utf8("MQTT"), new byte[] {(byte) level, 0x02, 0, 60}, props, utf8(clientId)));
    }

    /** The packets sent after the CONNECT, topics under {@code prefix}. */
    static List<byte[]> packets(int level, String prefix) {
        boolean v5 = level == 5;
        List<byte[]> all = new ArrayList<>();
        byte[] none = v5 ? new byte[] {0} : new byte[0];
        byte[] payload = "fuzz-payload".getBytes(StandardCharsets.UTF_8);
        String topic = prefix + "/a/b";
        // CONNECT with will, user name and password (a second CONNECT is a protocol error [MQTT-3.1.0-2])
        byte[] willProps = v5 ? new byte[] {5, 0x18, 0, 0, 0, 1} : new byte[0]; // will delay 1 s
        all.add(packet(0x10, concat(utf8("MQTT"), new byte[] {(byte) level, (byte) 0xEE, 0, 30},
                v5 ? new byte[] {8, 0x21, 0, 10, 0x22, 0, 5, 0x17, 1} : new byte[0], utf8("fuzz-second"), willProps,
                utf8(topic), lengthPrefixed(payload), utf8("user"), lengthPrefixed(new byte[] {1, 2, 3}))));
        all.add(packet(0x20, v5 ? new byte[] {0, 0, 0} : new byte[] {0, 0})); // CONNACK from a client
        // PUBLISH QoS 0, 1, 2, retained, with properties
        all.add(packet(0x30, concat(utf8(topic), none, payload)));
        byte[] publishProps = v5 ? properties(
                new byte[] {0x01, 1}, // payload format: UTF-8
                new byte[] {0x02, 0, 0, 0, 60}, // message expiry
                new byte[] {0x23, 0, 1}, // topic alias 1
                concat(new byte[] {0x08}, utf8(prefix + "/reply")), // response topic
                concat(new byte[] {0x09}, lengthPrefixed(new byte[] {9, 9})), // correlation data
                concat(new byte[] {0x26}, utf8("k"), utf8("v")), // user property
                concat(new byte[] {0x03}, utf8("text/plain"))) : new byte[0]; // content type
        all.add(packet(0x32, concat(utf8(topic), new byte[] {0, 1}, publishProps, payload)));
        all.add(packet(0x34, concat(utf8(topic), new byte[] {0, 2}, none, payload)));
        all.add(packet(0x33, concat(utf8(prefix + "/retained"), new byte[] {0, 3}, none, payload)));
        if (v5) {
            all.add(packet(0x30, concat(utf8(""), properties(new byte[] {0x23, 0, 1}), payload))); // alias only
        }
        // acknowledgements, with reason codes and properties in MQTT 5
        byte[] reasonProps = v5 ? concat(new byte[] {0}, properties(concat(new byte[] {0x1F}, utf8("why")))) : none;
        all.add(packet(0x40, concat(new byte[] {0, 1}, v5 ? reasonProps : new byte[0])));
        all.add(packet(0x50, concat(new byte[] {0, 2}, v5 ? reasonProps : new byte[0])));
        all.add(packet(0x62, concat(new byte[] {0, 2}, v5 ? new byte[] {0} : new byte[0])));
        all.add(packet(0x70, concat(new byte[] {0, 2}, v5 ? new byte[] {(byte) 0x92} : new byte[0])));
        // SUBSCRIBE: plain, wildcard, shared, with subscription identifier and options
        byte[] subProps = v5 ? properties(new byte[] {0x0B, 7}, concat(new byte[] {0x26}, utf8("a"), utf8("b")))
                : new byte[0];
        all.add(packet(0x82, concat(new byte[] {0, 4}, subProps, utf8(prefix + "/#"), new byte[] {v5 ? (byte) 0x2E : 2},
                utf8(prefix + "/+/b"), new byte[] {1})));
        all.add(packet(0x82, concat(new byte[] {0, 5}, none, utf8("$share/g/" + prefix + "/a/#"), new byte[] {1})));
        all.add(packet(0x90, concat(new byte[] {0, 4}, none, new byte[] {0}))); // SUBACK from a client
        // UNSUBSCRIBE and UNSUBACK
        all.add(packet(0xA2, concat(new byte[] {0, 6}, none, utf8(prefix + "/+/b"), utf8("never/subscribed"))));
        all.add(packet(0xB0, concat(new byte[] {0, 6}, none)));
        all.add(packet(0xC0, new byte[0])); // PINGREQ
        all.add(packet(0xD0, new byte[0])); // PINGRESP from a client
        // DISCONNECT: normal, with will, with session expiry and reason string
        all.add(packet(0xE0, new byte[0]));
        if (v5) {
            all.add(packet(0xE0, concat(new byte[] {0x04}, properties(new byte[] {0x11, 0, 0, 0, 5},
                    concat(new byte[] {0x1F}, utf8("bye"))))));
        }
        // AUTH: re-authentication (MQTT 5), and the packet type 15 a 3.1.1 broker must refuse
        all.add(packet(0xF0, concat(new byte[] {0x19}, properties(concat(new byte[] {0x15}, utf8("SCRAM-SHA-1")),
                concat(new byte[] {0x16}, lengthPrefixed(new byte[] {1, 2}))))));
        return all;
    }

    /**
     * Whether the packet, valid, ends the connection anyway: a second CONNECT, packets only a server sends, DISCONNECT,
     * AUTH (no authentication method was negotiated; MQTT 3.1.1 has no AUTH).
     */
    static boolean endsTheConnection(byte[] packet) {
        int type = (packet[0] & 0xF0) >> 4;
        return type == 1 || type == 2 || type == 9 || type == 11 || type == 13 || type == 14 || type == 15;
    }

    /** MQTT 5 properties: their length as a Variable Byte Integer, then the properties. */
    static byte[] properties(byte[]... props) {
        byte[] body = concat(props);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.mqttsuite.broker.support.RawMqttClient.writeVarInt(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
