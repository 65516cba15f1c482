package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import dev.mqttsuite.reason.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/** PUBLISH and its acknowledgements PUBACK, PUBREC, PUBREL, PUBCOMP (MQTT 5.0 sections 3.3 to 3.7). */
final class PublishDecoder {

    private final Fields fields;
    private final PropertyReader properties;

    PublishDecoder(Fields fields, PropertyReader properties) {
        this.fields = fields;
        this.properties = properties;
    }

    /** The payload is a retained slice of the frame: no copy. */
    MqttPublishMessage decodePublish(int flags, ByteBuf body, boolean mqtt5) {
        int qos = (flags >> 1) & 3;
        String topic = fields.readString(body); // [MQTT-3.3.2-1]
        int packetId = qos > 0 ? Fields.readPacketId(body) : 0; // none at QoS 0 [MQTT-2.2.1-2]
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (mqtt5) {
            props = properties.read(body, Context.PUBLISH);
            if (props.getProperty(0x0B) != null) {
                throw MqttDecodeException.protocolError("Subscription Identifier in a client PUBLISH [MQTT-3.3.4-6]");
            }
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, (flags & 0x08) != 0,
                MqttQoS.valueOf(qos), (flags & 0x01) != 0, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId, props),
                body.readRetainedSlice(body.readableBytes()));
    }

    /**
     * PUBACK, PUBREC, PUBREL or PUBCOMP. In MQTT 5 the reason code may be left out when it is 0x00 and there are no
     * properties, and the Property Length when the Remaining Length is 3 (MQTT 5.0 sections 3.4.2.1 and 3.4.2.2).
     */
    MqttMessage decodeAck(MqttMessageType type, ByteBuf body, boolean mqtt5) {
        int packetId = Fields.readPacketId(body);
        MqttMessageIdVariableHeader header;
        if (mqtt5 && body.isReadable()) {
            PacketType packet;
            Context context;
            switch (type) {
                case PUBACK -> {
                    packet = PacketType.PUBACK;
                    context = Context.PUBACK;
                }
                case PUBREC -> {
                    packet = PacketType.PUBREC;
                    context = Context.PUBREC;
                }
                case PUBREL -> {
                    packet = PacketType.PUBREL;
                    context = Context.PUBREL;
                }
                default -> {
                    packet = PacketType.PUBCOMP;
                    context = Context.PUBCOMP;
                }
            }
            int reason = Fields.readReasonCode(body, packet); // [MQTT-3.4.2-1, MQTT-3.5.2-1, ...]
            MqttProperties props = body.isReadable() ? properties.read(body, context) : MqttProperties.NO_PROPERTIES;
            header = new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, props);
        } else {
            header = MqttMessageIdVariableHeader.from(packetId);
        }
        return type == MqttMessageType.PUBACK ? new MqttPubAckMessage(FixedHeaders.of(type), header)
                : new MqttMessage(FixedHeaders.of(type), header);
    }
}
