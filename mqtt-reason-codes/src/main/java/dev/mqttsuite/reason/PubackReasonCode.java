package dev.mqttsuite.reason;

/** The reason codes of PUBACK and PUBREC, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum PubackReasonCode implements PacketReasonCode {
    SUCCESS(ReasonCode.SUCCESS),
    NO_MATCHING_SUBSCRIBERS(ReasonCode.NO_MATCHING_SUBSCRIBERS),
    UNSPECIFIED_ERROR(ReasonCode.UNSPECIFIED_ERROR),
    IMPLEMENTATION_SPECIFIC_ERROR(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
    NOT_AUTHORIZED(ReasonCode.NOT_AUTHORIZED),
    TOPIC_NAME_INVALID(ReasonCode.TOPIC_NAME_INVALID),
    PACKET_IDENTIFIER_IN_USE(ReasonCode.PACKET_IDENTIFIER_IN_USE),
    QUOTA_EXCEEDED(ReasonCode.QUOTA_EXCEEDED),
    PAYLOAD_FORMAT_INVALID(ReasonCode.PAYLOAD_FORMAT_INVALID);

    static {
        PacketReasonCode.verify(PubackReasonCode.class, PacketType.PUBACK, PacketType.PUBREC);
    }

    private final ReasonCode reasonCode;

    PubackReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when PUBACK and PUBREC has no such code. */
    public static PubackReasonCode fromByte(int value) {
        return PacketReasonCode.of(PubackReasonCode.class, ReasonCode.fromByte(PacketType.PUBACK, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
