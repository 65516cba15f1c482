package dev.mqttsuite.broker.publish;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;

/** Reads the packet identifier and reason code of PUBACK, PUBREC, PUBREL and PUBCOMP. */
final class Acks {

    private Acks() {
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** The reason code byte, 0x00 when absent (MQTT 3.1.1, or MQTT 5 with the short form). */
    static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                ? reply.reasonCode() & 0xFF : 0;
    }
}
