package dev.mqttsuite.reason;

/** The reason codes of AUTH, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum AuthReasonCode implements PacketReasonCode {
    SUCCESS(ReasonCode.SUCCESS),
    CONTINUE_AUTHENTICATION(ReasonCode.CONTINUE_AUTHENTICATION),
    RE_AUTHENTICATE(ReasonCode.RE_AUTHENTICATE);

    static {
        PacketReasonCode.verify(AuthReasonCode.class, PacketType.AUTH);
    }

    private final ReasonCode reasonCode;

    AuthReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when AUTH has no such code. */
    public static AuthReasonCode fromByte(int value) {
        return PacketReasonCode.of(AuthReasonCode.class, ReasonCode.fromByte(PacketType.AUTH, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
