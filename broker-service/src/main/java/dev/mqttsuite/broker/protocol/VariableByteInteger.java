package dev.mqttsuite.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Variable Byte Integers (MQTT 5.0 section 1.5.5): the Remaining Length of every fixed header, property lengths,
 * property identifiers and Subscription Identifiers. At most four bytes, minimally encoded [MQTT-1.5.5-1].
 */
final class VariableByteInteger {

    /** What {@link #peek} returns when the integer continues past the readable bytes. */
    static final long INCOMPLETE = -1;

    private VariableByteInteger() {
    }

    /**
     * Reads the integer starting at {@code pos} without moving any index.
     *
     * @return {@link #INCOMPLETE}, or the number of bytes it takes in the upper 32 bits and its value in the lower
     * @throws MqttDecodeException (Malformed Packet) for a fifth byte or a non-minimal encoding
     */
    static long peek(ByteBuf buf, int pos, int end) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos + i >= end) {
                return INCOMPLETE;
            }
            int digit = buf.getUnsignedByte(pos + i);
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                if (digit == 0 && i > 0) {
                    throw MqttDecodeException.malformed(
                            "Variable Byte Integer not in the minimum number of bytes [MQTT-1.5.5-1]");
                }
                return ((long) (i + 1) << 32) | value;
            }
        }
        throw MqttDecodeException.malformed("Variable Byte Integer longer than four bytes (MQTT 5.0 section 1.5.5)");
    }

    /** Reads the integer at the reader index and moves past it; one cut short by the end is a Malformed Packet. */
    static int read(ByteBuf buf) {
        long result = peek(buf, buf.readerIndex(), buf.writerIndex());
        if (result == INCOMPLETE) {
            throw MqttDecodeException.malformed("Variable Byte Integer cut short by the end of the packet");
        }
        buf.skipBytes((int) (result >>> 32));
        return (int) result;
    }
}
