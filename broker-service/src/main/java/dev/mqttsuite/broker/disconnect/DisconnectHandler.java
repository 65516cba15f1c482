package dev.mqttsuite.broker.disconnect;

import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * DISCONNECT from the client (MQTT 5.0 section 3.14): reason 0x00 discards the Will [MQTT-3.14.4-3], 0x04 (and any
 * other code) keeps it; MQTT 5 may change the Session Expiry Interval, but not from 0 to non-zero [MQTT-3.14.2-2].
 */
public final class DisconnectHandler implements PacketHandler<MqttMessage> {

    private final Disconnector disconnector;

    public DisconnectHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        int reason = 0;
        if (connection.isMqtt5() && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader v) {
            reason = v.reasonCode() & 0xFF;
            Long expiry = Props.unsigned(v.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                if (connection.sessionExpiryInterval() == 0 && expiry != 0) {
                    disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                            "Session Expiry Interval cannot change from 0 at DISCONNECT");
                    return;
                }
                connection.sessionExpiryInterval(expiry);
            }
        }
        connection.normalDisconnect(reason == 0x00);
        connection.state(ConnectionState.CLOSED);
        connection.close(); // [MQTT-3.14.4-1] the server closes after DISCONNECT
    }
}
