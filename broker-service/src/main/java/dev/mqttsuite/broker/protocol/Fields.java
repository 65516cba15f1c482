package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.reason.PacketType;
import dev.mqttsuite.reason.ReasonCode;
import dev.mqttsuite.text.MalformedUtf8Exception;
import dev.mqttsuite.text.Utf8;
import io.netty.buffer.ByteBuf;

/**
 * The data types of MQTT 5.0 section 1.5 read from a packet body: strings, binary data, packet identifiers, reason
 * codes. One instance per connection (event-loop confined): it keeps a scratch array for strings in direct buffers.
 */
final class Fields {

    private static final int SCRATCH_MIN = 128;

    private byte[] scratch = new byte[0]; // grown on the first string read from a direct buffer

    /**
     * A UTF-8 Encoded String: strictly well-formed [MQTT-1.5.4-1], without U+0000 [MQTT-1.5.4-2], checked by the
     * suite's one UTF-8 decoder, whose ASCII fast path serves topics and client identifiers. Heap buffers are decoded
     * in place; direct ones through a per-connection scratch array (one copy, no allocation).
     */
    String readString(ByteBuf body) {
        int length = body.readUnsignedShort();
        if (length > body.readableBytes()) {
            throw MqttDecodeException.malformed("string of " + length + " bytes beyond the end of the packet");
        }
        int index = body.readerIndex();
        String value;
        try {
            if (body.hasArray()) {
                value = Utf8.decodeMqttString(body.array(), body.arrayOffset() + index, length);
            } else {
                byte[] bytes = scratch(length);
                body.getBytes(index, bytes, 0, length);
                value = Utf8.decodeMqttString(bytes, 0, length);
            }
        } catch (MalformedUtf8Exception e) {
            throw MqttDecodeException.malformed("string: " + e.getMessage());
        }
        body.readerIndex(index + length);
        return value;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(Math.max(length, SCRATCH_MIN), scratch.length * 2)];
        }
        return scratch;
    }

    /** Binary Data: a two-byte length and that many bytes (MQTT 5.0 section 1.5.6). */
    static byte[] readBinary(ByteBuf body) {
        int length = body.readUnsignedShort();
        byte[] bytes = new byte[length];
        body.readBytes(bytes);
        return bytes;
    }

    /** A non-zero Packet Identifier [MQTT-2.2.1-3] (3.1.1: [MQTT-2.3.1-1]). */
    static int readPacketId(ByteBuf body) {
        int id = body.readUnsignedShort();
        if (id == 0) {
            throw MqttDecodeException.malformed("packet identifier 0 [MQTT-2.2.1-3]");
        }
        return id;
    }

    /** A reason code the specification allows in {@code packet} (MQTT 5.0 section 2.4), else a Malformed Packet. */
    static int readReasonCode(ByteBuf body, PacketType packet) {
        int reason = body.readUnsignedByte();
        try {
            ReasonCode.fromByte(packet, reason);
        } catch (IllegalArgumentException e) {
            throw MqttDecodeException.malformed(String.format("0x%02X is not a reason code of %s", reason, packet));
        }
        return reason;
    }

    static void expectEmpty(ByteBuf body, String packet) {
        if (body.isReadable()) {
            throw MqttDecodeException.malformed(packet + " must have no body");
        }
    }
}
