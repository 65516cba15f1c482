package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;

/** The CONNECT packet of MQTT 3.1, 3.1.1 and 5.0 (MQTT 5.0 section 3.1), which also fixes the connection's version. */
final class ConnectDecoder {

    private static final int MQTT_3_1_MAX_CLIENT_ID = 23;

    private final Fields fields;
    private final PropertyReader properties;
    private final int maxClientIdLength;

    ConnectDecoder(Fields fields, PropertyReader properties, int maxClientIdLength) {
        this.fields = fields;
        this.properties = properties;
        this.maxClientIdLength = maxClientIdLength;
    }

    /**
     * The version named by the protocol name and level at the start of the body, which the caller records before the
     * rest is read (so that a refusal is encoded in it).
     *
     * @throws MqttUnacceptableProtocolVersionException answered with CONNACK 0x84 [MQTT-3.1.2-1, MQTT-3.1.2-2]
     */
    MqttVersion readVersion(ByteBuf body) {
        String name = fields.readString(body);
        int level = body.readUnsignedByte();
        if ("MQTT".equals(name) && level == 4) {
            return MqttVersion.MQTT_3_1_1;
        } else if ("MQTT".equals(name) && level == 5) {
            return MqttVersion.MQTT_5;
        } else if ("MQIsdp".equals(name) && level == 3) {
            return MqttVersion.MQTT_3_1;
        }
        throw new MqttUnacceptableProtocolVersionException("protocol " + name + " level " + level);
    }

    /** The rest of the CONNECT after {@link #readVersion}. */
    MqttConnectMessage decode(ByteBuf body, MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        int flags = body.readUnsignedByte();
        if ((flags & 0x01) != 0 && version != MqttVersion.MQTT_3_1) {
            throw MqttDecodeException.malformed("CONNECT reserved flag set [MQTT-3.1.2-3]");
        }
        boolean cleanStart = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        boolean willRetain = (flags & 0x20) != 0;
        boolean hasPassword = (flags & 0x40) != 0;
        boolean hasUser = (flags & 0x80) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw MqttDecodeException.malformed("will QoS or retain without the will flag [MQTT-3.1.2-11, -13]");
        }
        if (willQos == 3) {
            throw MqttDecodeException.malformed("will QoS 3 [MQTT-3.1.2-12]");
        }
        if (hasPassword && !hasUser && !mqtt5) {
            throw MqttDecodeException.malformed("password without user name (3.1.1: [MQTT-3.1.2-22])");
        }
        int keepAlive = body.readUnsignedShort();
        MqttProperties connectProperties = mqtt5 ? properties.read(body, Context.CONNECT)
                : MqttProperties.NO_PROPERTIES;
        String clientId = fields.readString(body); // [MQTT-3.1.3-3, MQTT-3.1.3-4]
        if (version == MqttVersion.MQTT_3_1 && (clientId.isEmpty() || clientId.length() > MQTT_3_1_MAX_CLIENT_ID)) {
            throw new MqttIdentifierRejectedException("MQTT 3.1 client id must be 1 to 23 characters");
        }
        if (clientId.length() > maxClientIdLength) {
            throw new MqttIdentifierRejectedException("client id longer than " + maxClientIdLength);
        }
        MqttProperties willProperties = MqttProperties.NO_PROPERTIES;
        String willTopic = null;
        byte[] willPayload = null;
        if (willFlag) { // [MQTT-3.1.2-9], in the order of [MQTT-3.1.3-1]
            if (mqtt5) {
                willProperties = properties.read(body, Context.WILL);
            }
            willTopic = fields.readString(body); // [MQTT-3.1.3-11]
            willPayload = Fields.readBinary(body);
        }
        String user = hasUser ? fields.readString(body) : null; // [MQTT-3.1.3-12]
        byte[] password = hasPassword ? Fields.readBinary(body) : null;
        MqttConnectVariableHeader header = new MqttConnectVariableHeader(version.protocolName(),
                version.protocolLevel(), hasUser, hasPassword, willRetain, willQos, willFlag, cleanStart, keepAlive,
                connectProperties);
        MqttConnectPayload payload = new MqttConnectPayload(clientId, willProperties, willTopic, willPayload, user,
                password);
        return new MqttConnectMessage(FixedHeaders.of(MqttMessageType.CONNECT), header, payload);
    }
}
