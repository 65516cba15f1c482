package dev.mqttsuite.broker.connect;

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

    private static void send(MqttConnection connection, byte code, boolean sessionPresent, MqttProperties props) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttConnAckVariableHeader variable = new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf(code),
                sessionPresent, props);
        connection.writeAndFlush(new MqttConnAckMessage(header, variable));
    }
}
