package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.reason.PubrelReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * PUBREC from a client for a QoS 2 delivery: answer PUBREL [MQTT-4.3.3-4], or PUBREL 0x92 when the packet id is
 * unknown. A PUBREC with an error code ends the exchange without PUBREL. For a session in the journal the PUBREL waits
 * until the journal has the PUBREC.
 */
public final class PubrecHandler implements PacketHandler<MqttMessage> {

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        int packetId = Acks.packetId(message);
        boolean error = Acks.reasonCode(message) >= 0x80;
        if (connection.session().received(packetId, error)) {
            // PUBREL only once the journal knows it: a restart then resends PUBREL, never the PUBLISH again
            Acks.afterJournal(connection, () -> connection.sendAck(MqttMessageType.PUBREL, packetId, (byte) 0));
        } else if (error) {
            connection.session().complete(connection, packetId);
        } else {
            connection.sendAck(MqttMessageType.PUBREL, packetId, PubrelReasonCode.PACKET_IDENTIFIER_NOT_FOUND.code());
        }
    }
}
