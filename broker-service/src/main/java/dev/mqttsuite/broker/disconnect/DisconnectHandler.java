package dev.mqttsuite.broker.disconnect;

import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * DISCONNECT from the client (MQTT 5.0 section 3.14): reason 0x00 discards the Will [MQTT-3.14.4-3], 0x04 (and any
 * other code) keeps it; MQTT 5 may change the Session Expiry Interval, but not from 0 to non-zero [MQTT-3.14.2-2],
 * and never beyond {@code broker.session.max-expiry-interval} ({@link SessionExpiry#atDisconnect}).
 */
public final class DisconnectHandler implements PacketHandler<MqttMessage> {

    private final Disconnector disconnector;
    private final SessionExpiry expiry;

    public DisconnectHandler(Disconnector disconnector, SessionExpiry expiry) {
        this.disconnector = disconnector;
        this.expiry = expiry;
    }

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        int reason = 0;
        if (connection.isMqtt5() && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader v) {
            reason = v.reasonCode() & 0xFF;
            Long requested = Props.unsigned(v.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (requested != null) {
                switch (expiry.atDisconnect(connection.session().expiryIntervalSeconds(), requested)) {
                    case SessionExpiry.AtDisconnect.ProtocolError error -> {
                        disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR, error.reason());
                        return;
                    }
                    case SessionExpiry.AtDisconnect.Granted granted ->
                            connection.session().expiryIntervalSeconds(granted.seconds());
                }
            }
        }
        connection.normalDisconnect(reason == 0x00);
        connection.state(ConnectionState.CLOSED);
        connection.close(); // [MQTT-3.14.4-1] the server closes after DISCONNECT
    }
}
