package dev.mqttsuite.broker.transport;

import static dev.mqttsuite.broker.support.RawMqttClient.concat;
import static dev.mqttsuite.broker.support.RawMqttClient.packet;
import static dev.mqttsuite.broker.support.RawMqttClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A server-initiated DISCONNECT must reach a client that is still sending: the broker stops processing input, flushes
 * the DISCONNECT, half-closes and keeps draining the client's bytes until it closes, instead of closing with unread
 * input (which turns into a TCP reset that makes the client lose the reason code [MQTT-4.13.2-1]).
 */
@QuarkusTest
class GracefulCloseTest extends BrokerTest {

    /**
     * QoS 0 PUBLISHes to {@code topic}, more than loopback's socket buffers hold (several MB each way), so the client
     * is still writing at the close; it subscribes to them too, so that the broker's own output is backed up.
     */
    private static byte[] flood(String topic, int megabytes) {
        byte[] one = packet(0x30, concat(utf8(topic), new byte[] {0}, new byte[1000]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < megabytes * 1024; i++) {
            out.writeBytes(one);
        }
        return out.toByteArray();
    }

    /**
     * Reads packets until DISCONNECT (returned) or the end of the stream or a reset (null); other packets are skipped.
     */
    private static RawMqttClient.Packet readUntilDisconnect(RawMqttClient raw) {
        try {
            RawMqttClient.Packet p;
            while ((p = raw.read()) != null) {
                if (p.type() == RawMqttClient.DISCONNECT) {
                    return p;
                }
            }
        } catch (IOException reset) {
            // the reason code was lost
        }
        return null;
    }

    /** Reads to the end: "end of stream" after a FIN, or the exception's message after a reset. */
    private static String endOfStream(RawMqttClient raw) {
        try {
            while (raw.input().read() >= 0) {
                // nothing more is expected after DISCONNECT; skip whatever it is
            }
            return "end of stream";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private RawMqttClient.Packet disconnectWhileSending(byte[] trigger) throws Exception {
        RawMqttClient raw = raw();
        assertThat(raw.connect5(unique("sender")).type()).isEqualTo(RawMqttClient.CONNACK);
        String topic = unique("flood");
        raw.send(packet(0x82, concat(new byte[] {0, 1, 0}, utf8(topic), new byte[] {0})));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.SUBACK);
        try { // a client busy writing reads nothing meanwhile, so the broker's output backs up behind the flood
            raw.send(concat(flood(topic, 16), trigger, flood(topic, 2)));
        } catch (IOException closedMeanwhile) {
            // the broker may close before the client finished writing
        }
        RawMqttClient.Packet disconnect = readUntilDisconnect(raw);
        if (disconnect != null) {
            assertThat(endOfStream(raw)).as("after the DISCONNECT a clean end of stream (half-close), not a reset")
                    .isEqualTo("end of stream");
        }
        return disconnect;
    }

    @Test
    void receiveMaximumExceededWhileTheClientKeepsSending_clientReadsDisconnect0x93_MQTT_3_3_4_9() throws Exception {
        ByteArrayOutputStream qos2 = new ByteArrayOutputStream();
        for (int id = 1; id <= 1025; id++) { // one more than broker.limits.receive-maximum, none released
            qos2.writeBytes(packet(0x34, concat(utf8("rm"), new byte[] {(byte) (id >> 8), (byte) id, 0}, new byte[8])));
        }
        RawMqttClient.Packet disconnect = disconnectWhileSending(qos2.toByteArray());
        assertThat(disconnect).as("DISCONNECT read before the close").isNotNull();
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x93);
    }

    @Test
    void malformedPacketWhileTheClientKeepsSending_clientReadsDisconnect0x81() throws Exception {
        byte[] qos3 = packet(0x36, concat(utf8("t"), new byte[] {0, 1, 0})); // [MQTT-3.3.1-4]
        RawMqttClient.Packet disconnect = disconnectWhileSending(qos3);
        assertThat(disconnect).as("DISCONNECT read before the close").isNotNull();
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x81);
    }

    @Test
    void qos1PublishesWithinTheReceiveMaximumDoNotTripIt_becauseEachPubackFreesItsSlot() throws Exception {
        RawMqttClient raw = raw();
        assertThat(raw.connect5(unique("qos1")).type()).isEqualTo(RawMqttClient.CONNACK);
        ByteArrayOutputStream qos1 = new ByteArrayOutputStream();
        for (int id = 1; id <= 3000; id++) {
            int packetId = id % 65535 + 1;
            qos1.writeBytes(packet(0x32, concat(utf8("q1"), new byte[] {(byte) (packetId >> 8), (byte) packetId, 0},
                    new byte[8])));
        }
        raw.send(qos1.toByteArray());
        for (int i = 0; i < 3000; i++) {
            RawMqttClient.Packet ack = raw.read();
            assertThat(ack).as("PUBACK " + i).isNotNull();
            assertThat(ack.type()).as("PUBACK " + i).isEqualTo(RawMqttClient.PUBACK);
        }
    }
}
