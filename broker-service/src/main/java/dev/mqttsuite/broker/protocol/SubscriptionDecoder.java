package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE and UNSUBSCRIBE (MQTT 5.0 sections 3.8 and 3.10). Topic filters are validated by their handlers. */
final class SubscriptionDecoder {

    private final Fields fields;
    private final PropertyReader properties;

    SubscriptionDecoder(Fields fields, PropertyReader properties) {
        this.fields = fields;
        this.properties = properties;
    }

    MqttSubscribeMessage decodeSubscribe(ByteBuf body, boolean mqtt5) {
        int packetId = Fields.readPacketId(body);
        MqttProperties props = mqtt5 ? properties.read(body, Context.SUBSCRIBE) : MqttProperties.NO_PROPERTIES;
        List<MqttTopicSubscription> subscriptions = new ArrayList<>();
        while (body.isReadable()) {
            String filter = fields.readString(body); // [MQTT-3.8.3-1]
            int options = body.readUnsignedByte();
            subscriptions.add(mqtt5 ? new MqttTopicSubscription(filter, options5(options))
                    : new MqttTopicSubscription(filter, MqttQoS.valueOf(qos311(options))));
        }
        if (subscriptions.isEmpty()) {
            throw MqttDecodeException.protocolError("SUBSCRIBE without topic filters [MQTT-3.8.3-2] "
                    + "(3.1.1: [MQTT-3.8.3-3])");
        }
        return new MqttSubscribeMessage(FixedHeaders.of(MqttMessageType.SUBSCRIBE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, props), new MqttSubscribePayload(subscriptions));
    }

    /** MQTT 3.1.1: the requested QoS in bits 0-1, the rest reserved; a QoS of 3 is malformed too. */
    private static int qos311(int options) {
        if ((options & 0xFC) != 0 || (options & 0x03) == 3) {
            throw MqttDecodeException.malformed("reserved subscription option bits set or QoS 3 (3.1.1: "
                    + "[MQTT-3-8.3-4])");
        }
        return options & 0x03;
    }

    /**
     * MQTT 5.0 section 3.8.3.1: Maximum QoS 3 and Retain Handling 3 are Protocol Errors; set reserved bits 6-7 a
     * Malformed Packet [MQTT-3.8.3-5].
     */
    private static MqttSubscriptionOption options5(int options) {
        if ((options & 0xC0) != 0) {
            throw MqttDecodeException.malformed("reserved subscription option bits set [MQTT-3.8.3-5]");
        }
        int qos = options & 0x03;
        if (qos == 3) {
            throw MqttDecodeException.protocolError("subscription Maximum QoS 3 (MQTT 5.0 section 3.8.3.1)");
        }
        int retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3) {
            throw MqttDecodeException.protocolError("Retain Handling 3 (MQTT 5.0 section 3.8.3.1)");
        }
        return new MqttSubscriptionOption(MqttQoS.valueOf(qos), (options & 0x04) != 0, (options & 0x08) != 0,
                RetainedHandlingPolicy.valueOf(retainHandling));
    }

    MqttUnsubscribeMessage decodeUnsubscribe(ByteBuf body, boolean mqtt5) {
        int packetId = Fields.readPacketId(body);
        MqttProperties props = mqtt5 ? properties.read(body, Context.UNSUBSCRIBE) : MqttProperties.NO_PROPERTIES;
        List<String> filters = new ArrayList<>();
        while (body.isReadable()) {
            filters.add(fields.readString(body)); // [MQTT-3.10.2-1]
        }
        if (filters.isEmpty()) {
            throw MqttDecodeException.protocolError("UNSUBSCRIBE without topic filters [MQTT-3.10.2-2] "
                    + "(3.1.1: [MQTT-3.10.3-2])");
        }
        return new MqttUnsubscribeMessage(FixedHeaders.of(MqttMessageType.UNSUBSCRIBE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, props), new MqttUnsubscribePayload(filters));
    }
}
