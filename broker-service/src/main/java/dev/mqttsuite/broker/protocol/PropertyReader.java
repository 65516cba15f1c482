package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * Reads an MQTT 5 property block (MQTT 5.0 section 2.2.2): its length, then identifier/value pairs, each checked
 * against {@link PropertyRules}. An identifier not valid for the packet is a Malformed Packet; a repeated one (other
 * than User Property) a Protocol Error.
 */
final class PropertyReader {

    private final Fields fields;

    PropertyReader(Fields fields) {
        this.fields = fields;
    }

    MqttProperties read(ByteBuf body, Context context) {
        int length = VariableByteInteger.read(body);
        if (length > body.readableBytes()) {
            throw MqttDecodeException.malformed("Property Length " + length + " beyond the end of the packet");
        }
        if (length == 0) {
            return MqttProperties.NO_PROPERTIES;
        }
        ByteBuf block = body.readSlice(length);
        MqttProperties properties = new MqttProperties();
        long seen = 0; // one bit per identifier: all valid ones are below 64
        while (block.isReadable()) {
            int id = VariableByteInteger.read(block);
            PropertyRules.Rule rule = PropertyRules.lookup(id, context);
            if (rule == null) {
                throw MqttDecodeException.malformed(String.format("property 0x%02X is not valid in %s", id, context));
            }
            long bit = 1L << id;
            if (id != 0x26 && (seen & bit) != 0) {
                throw MqttDecodeException.protocolError(String.format("property 0x%02X included twice in %s", id,
                        context));
            }
            seen |= bit;
            properties.add(value(id, rule.type(), block));
        }
        return properties;
    }

    private MqttProperties.MqttProperty<?> value(int id, PropertyRules.Type type, ByteBuf block) {
        return switch (type) {
            case BYTE -> {
                int value = block.readUnsignedByte();
                if ((id == 0x01 || id == 0x17 || id == 0x19) && value > 1) {
                    throw MqttDecodeException.protocolError(String.format("property 0x%02X must be 0 or 1", id));
                }
                yield new MqttProperties.IntegerProperty(id, value);
            }
            case TWO_BYTE -> new MqttProperties.IntegerProperty(id, block.readUnsignedShort());
            case FOUR_BYTE -> new MqttProperties.IntegerProperty(id, block.readInt());
            case VARINT -> new MqttProperties.IntegerProperty(id, VariableByteInteger.read(block));
            case UTF8 -> new MqttProperties.StringProperty(id, fields.readString(block));
            case BINARY -> new MqttProperties.BinaryProperty(id, Fields.readBinary(block));
            case UTF8_PAIR -> new MqttProperties.UserProperty(fields.readString(block), fields.readString(block));
        };
    }
}
