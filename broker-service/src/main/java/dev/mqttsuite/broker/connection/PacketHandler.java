package dev.mqttsuite.broker.connection;

import io.netty.handler.codec.mqtt.MqttMessage;

/** Handles one MQTT control packet type. Called on the connection's event loop; must not block. */
@FunctionalInterface
public interface PacketHandler<M extends MqttMessage> {

    void handle(MqttConnection connection, M message);
}
