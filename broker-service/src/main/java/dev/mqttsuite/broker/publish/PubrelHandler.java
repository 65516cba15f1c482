package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.reason.PubrelReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * PUBREL from a client for an inbound QoS 2 message: forget the packet id and answer PUBCOMP [MQTT-4.3.3-11];
 * MQTT 5 answers 0x92 for an unknown id. For a session in the journal the PUBCOMP waits until the journal has it.
 */
public final class PubrelHandler implements PacketHandler<MqttMessage> {

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        int packetId = Acks.packetId(message);
        boolean known = connection.session().releaseInboundQos2(packetId);
        if (known) {
            connection.inboundWindow().release(); // PUBCOMP ends the exchange [MQTT-3.3.4-9]
        }
        byte code = known ? (byte) 0 : PubrelReasonCode.PACKET_IDENTIFIER_NOT_FOUND.code();
        // PUBCOMP only once the journal forgot the id: after a restart the client may reuse it for a new message
        Acks.afterJournal(connection, () -> connection.sendAck(MqttMessageType.PUBCOMP, packetId, code));
    }
}
