package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import io.netty.handler.codec.mqtt.MqttMessage;
import org.jboss.logging.Logger;

/** PUBACK from a client: a QoS 1 delivery is complete; its window slot opens [MQTT-4.3.2]. */
public final class PubackHandler implements PacketHandler<MqttMessage> {

    private static final Logger LOG = Logger.getLogger(PubackHandler.class);

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        int packetId = Acks.packetId(message);
        if (connection.session().complete(connection, packetId) == null) {
            LOG.debugf("%s: PUBACK for unknown packet id %d ignored", connection, packetId);
        }
    }
}
