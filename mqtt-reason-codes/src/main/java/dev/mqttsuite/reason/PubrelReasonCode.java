package dev.mqttsuite.reason;

/** The reason codes of PUBREL and PUBCOMP, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum PubrelReasonCode implements PacketReasonCode {
    SUCCESS(ReasonCode.SUCCESS),
    PACKET_IDENTIFIER_NOT_FOUND(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);

    static {
        PacketReasonCode.verify(PubrelReasonCode.class, PacketType.PUBREL, PacketType.PUBCOMP);
    }

    private final ReasonCode reasonCode;

    PubrelReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when PUBREL and PUBCOMP has no such code. */
    public static PubrelReasonCode fromByte(int value) {
        return PacketReasonCode.of(PubrelReasonCode.class, ReasonCode.fromByte(PacketType.PUBREL, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
