package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.reason.Mqtt3Mapping;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.OptionalInt;

/** Builds CONNACK for MQTT 3.1, 3.1.1 and 5, downgrading MQTT 5 reason codes through {@link Mqtt3Mapping}. */
public final class ConnackSender {

    private ConnackSender() {
    }

    /**
     * Sends a refusing CONNACK (when the protocol version can express it) and closes the connection
     * [MQTT-3.2.2-6, MQTT-3.2.2-7].
     */
    public static void refuse(MqttConnection connection, ConnackReasonCode code, String reason) {
        if (connection.isMqtt5()) {
            MqttProperties props = MqttProperties.NO_PROPERTIES;
            if (reason != null && connection.requestProblemInformation()) {
                props = new MqttProperties();
                Props.putString(props, MqttPropertyType.REASON_STRING, reason);
            }
            send(connection, code.code(), false, props);
        } else {
            OptionalInt rc = Mqtt3Mapping.connackReturnCode(code);
            if (rc.isPresent()) {
                send(connection, (byte) rc.getAsInt(), false, MqttProperties.NO_PROPERTIES);
            }
        }
        connection.close();
    }

    /** Sends the accepting CONNACK. */
    public static void accept(MqttConnection connection, boolean sessionPresent, MqttProperties props) {
        send(connection, (byte) 0, sessionPresent, connection.isMqtt5() ? props : MqttProperties.NO_PROPERTIES);
    }

    /** The CONNACK properties of an accepted MQTT 5 CONNECT: the broker's limits and what it changed. */
    public static MqttProperties properties(BrokerConfig.Limits limits, ConnectRequest request, String authMethod) {
        MqttProperties props = new MqttProperties();
        if (request.grantedExpiry() != request.requestedExpiry()) {
            Props.putInt(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int) request.grantedExpiry());
        }
        Props.putInt(props, MqttPropertyType.RECEIVE_MAXIMUM, limits.receiveMaximum());
        if (limits.maxQos() < 2) {
            Props.putInt(props, MqttPropertyType.MAXIMUM_QOS, limits.maxQos());
        }
        if (!limits.retainAvailable()) {
            Props.putInt(props, MqttPropertyType.RETAIN_AVAILABLE, 0);
        }
        Props.putInt(props, MqttPropertyType.MAXIMUM_PACKET_SIZE, limits.maxPacketSize());
        Props.putInt(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, limits.topicAliasMaximum());
        Props.putInt(props, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
        Props.putInt(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
        Props.putInt(props, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
        if (request.serverKeepAlive() != null) {
            Props.putInt(props, MqttPropertyType.SERVER_KEEP_ALIVE, request.serverKeepAlive());
        }
        if (request.clientIdAssigned()) {
            Props.putString(props, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER, request.clientId());
        }
        if (authMethod != null) {
            Props.putString(props, MqttPropertyType.AUTHENTICATION_METHOD, authMethod);
        }
        return props;
    }

    private static void send(MqttConnection connection, byte code, boolean sessionPresent, MqttProperties props) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttConnAckVariableHeader variable = new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf(code),
                sessionPresent, props);
        connection.writeAndFlush(new MqttConnAckMessage(header, variable));
    }
}
