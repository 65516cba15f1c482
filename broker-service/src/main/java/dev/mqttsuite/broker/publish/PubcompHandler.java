package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import io.netty.handler.codec.mqtt.MqttMessage;

/** PUBCOMP from a client: the outbound QoS 2 exchange is complete; its window slot opens. */
public final class PubcompHandler implements PacketHandler<MqttMessage> {

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        connection.session().complete(connection, Acks.packetId(message));
    }
}
