package dev.mqttsuite.reason;

/** The reason codes of SUBACK, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum SubackReasonCode implements PacketReasonCode {
    GRANTED_QOS_0(ReasonCode.GRANTED_QOS_0),
    GRANTED_QOS_1(ReasonCode.GRANTED_QOS_1),
    GRANTED_QOS_2(ReasonCode.GRANTED_QOS_2),
    UNSPECIFIED_ERROR(ReasonCode.UNSPECIFIED_ERROR),
    IMPLEMENTATION_SPECIFIC_ERROR(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
    NOT_AUTHORIZED(ReasonCode.NOT_AUTHORIZED),
    TOPIC_FILTER_INVALID(ReasonCode.TOPIC_FILTER_INVALID),
    PACKET_IDENTIFIER_IN_USE(ReasonCode.PACKET_IDENTIFIER_IN_USE),
    QUOTA_EXCEEDED(ReasonCode.QUOTA_EXCEEDED),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);

    static {
        PacketReasonCode.verify(SubackReasonCode.class, PacketType.SUBACK);
    }

    private final ReasonCode reasonCode;

    SubackReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when SUBACK has no such code. */
    public static SubackReasonCode fromByte(int value) {
        return PacketReasonCode.of(SubackReasonCode.class, ReasonCode.fromByte(PacketType.SUBACK, value));
    }

    /** The success code that grants the given QoS (0, 1 or 2). */
    public static SubackReasonCode grantedQos(int qos) {
        return switch (qos) {
            case 0 -> GRANTED_QOS_0;
            case 1 -> GRANTED_QOS_1;
            case 2 -> GRANTED_QOS_2;
            default -> throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + qos);
        };
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
