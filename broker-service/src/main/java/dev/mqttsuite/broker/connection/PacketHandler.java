package dev.mqttsuite.broker.connection;

import io.netty.handler.codec.mqtt.MqttMessage;

/**
 * Handles one MQTT control packet type of an established connection. Called on the connection's event loop by the
 * transport's dispatch table; must not block. Implementations get their collaborators in their constructor.
 */
@FunctionalInterface
public interface PacketHandler<M extends MqttMessage> {

    void handle(MqttConnection connection, M message);
}
