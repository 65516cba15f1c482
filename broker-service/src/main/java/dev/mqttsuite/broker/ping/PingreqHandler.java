package dev.mqttsuite.broker.ping;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;

/** PINGREQ: answer PINGRESP [MQTT-3.12.4-1]. Any packet resets the keep-alive timer (the idle handler sees reads). */
public final class PingreqHandler implements PacketHandler<MqttMessage> {

    private static final MqttMessage PINGRESP = new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        connection.write(PINGRESP);
    }
}
