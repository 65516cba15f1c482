package dev.mqttsuite.reason;

/** The reason codes of CONNACK, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum ConnackReasonCode implements PacketReasonCode {
    SUCCESS(ReasonCode.SUCCESS),
    UNSPECIFIED_ERROR(ReasonCode.UNSPECIFIED_ERROR),
    MALFORMED_PACKET(ReasonCode.MALFORMED_PACKET),
    PROTOCOL_ERROR(ReasonCode.PROTOCOL_ERROR),
    IMPLEMENTATION_SPECIFIC_ERROR(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
    UNSUPPORTED_PROTOCOL_VERSION(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
    CLIENT_IDENTIFIER_NOT_VALID(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID),
    BAD_USER_NAME_OR_PASSWORD(ReasonCode.BAD_USER_NAME_OR_PASSWORD),
    NOT_AUTHORIZED(ReasonCode.NOT_AUTHORIZED),
    SERVER_UNAVAILABLE(ReasonCode.SERVER_UNAVAILABLE),
    SERVER_BUSY(ReasonCode.SERVER_BUSY),
    BANNED(ReasonCode.BANNED),
    BAD_AUTHENTICATION_METHOD(ReasonCode.BAD_AUTHENTICATION_METHOD),
    TOPIC_NAME_INVALID(ReasonCode.TOPIC_NAME_INVALID),
    PACKET_TOO_LARGE(ReasonCode.PACKET_TOO_LARGE),
    QUOTA_EXCEEDED(ReasonCode.QUOTA_EXCEEDED),
    PAYLOAD_FORMAT_INVALID(ReasonCode.PAYLOAD_FORMAT_INVALID),
    RETAIN_NOT_SUPPORTED(ReasonCode.RETAIN_NOT_SUPPORTED),
    QOS_NOT_SUPPORTED(ReasonCode.QOS_NOT_SUPPORTED),
    USE_ANOTHER_SERVER(ReasonCode.USE_ANOTHER_SERVER),
    SERVER_MOVED(ReasonCode.SERVER_MOVED),
    CONNECTION_RATE_EXCEEDED(ReasonCode.CONNECTION_RATE_EXCEEDED);

    static {
        PacketReasonCode.verify(ConnackReasonCode.class, PacketType.CONNACK);
    }

    private final ReasonCode reasonCode;

    ConnackReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when CONNACK has no such code. */
    public static ConnackReasonCode fromByte(int value) {
        return PacketReasonCode.of(ConnackReasonCode.class, ReasonCode.fromByte(PacketType.CONNACK, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
