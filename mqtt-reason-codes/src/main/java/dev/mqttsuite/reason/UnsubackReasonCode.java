package dev.mqttsuite.reason;

/** The reason codes of UNSUBACK, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum UnsubackReasonCode implements PacketReasonCode {
    SUCCESS(ReasonCode.SUCCESS),
    NO_SUBSCRIPTION_EXISTED(ReasonCode.NO_SUBSCRIPTION_EXISTED),
    UNSPECIFIED_ERROR(ReasonCode.UNSPECIFIED_ERROR),
    IMPLEMENTATION_SPECIFIC_ERROR(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
    NOT_AUTHORIZED(ReasonCode.NOT_AUTHORIZED),
    TOPIC_FILTER_INVALID(ReasonCode.TOPIC_FILTER_INVALID),
    PACKET_IDENTIFIER_IN_USE(ReasonCode.PACKET_IDENTIFIER_IN_USE);

    static {
        PacketReasonCode.verify(UnsubackReasonCode.class, PacketType.UNSUBACK);
    }

    private final ReasonCode reasonCode;

    UnsubackReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when UNSUBACK has no such code. */
    public static UnsubackReasonCode fromByte(int value) {
        return PacketReasonCode.of(UnsubackReasonCode.class, ReasonCode.fromByte(PacketType.UNSUBACK, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
