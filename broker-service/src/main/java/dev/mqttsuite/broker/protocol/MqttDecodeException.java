package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.DecoderException;

/** A packet broke the specification; carries the DISCONNECT reason the broker answers with. */
public final class MqttDecodeException extends DecoderException {

    private final DisconnectReasonCode reason;

    public MqttDecodeException(DisconnectReasonCode reason, String message) {
        super(message);
        this.reason = reason;
    }

    public static MqttDecodeException malformed(String message) {
        return new MqttDecodeException(DisconnectReasonCode.MALFORMED_PACKET, message);
    }

    public static MqttDecodeException protocolError(String message) {
        return new MqttDecodeException(DisconnectReasonCode.PROTOCOL_ERROR, message);
    }

    public DisconnectReasonCode reason() {
        return reason;
    }
}
