package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.connection.MqttConnection;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;

/**
 * Reads the packet identifier and reason code of PUBACK, PUBREC, PUBREL and PUBCOMP; sends an acknowledgement once
 * the session journal has what it answers.
 */
final class Acks {

    private Acks() {
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** Runs {@code send} at once, or on the connection's loop once the session's journal records are durable. */
    static void afterJournal(MqttConnection connection, Runnable send) {
        var journaled = connection.session().journaled().toCompletableFuture();
        if (journaled.isDone()) {
            send.run();
            return;
        }
        journaled.whenComplete((ok, failure) -> connection.transport().execute(() -> {
            if (connection.isActive()) {
                send.run();
            }
        }));
    }

    /** The reason code byte, 0x00 when absent (MQTT 3.1.1, or MQTT 5 with the short form). */
    static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                ? reply.reasonCode() & 0xFF : 0;
    }
}
