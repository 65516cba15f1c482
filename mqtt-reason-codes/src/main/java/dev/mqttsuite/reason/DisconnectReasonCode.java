package dev.mqttsuite.reason;

/** The reason codes of DISCONNECT, built from the {@link ReasonCode} table (MQTT 5.0 section 2.4). */
public enum DisconnectReasonCode implements PacketReasonCode {
    NORMAL_DISCONNECTION(ReasonCode.NORMAL_DISCONNECTION),
    DISCONNECT_WITH_WILL_MESSAGE(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE),
    UNSPECIFIED_ERROR(ReasonCode.UNSPECIFIED_ERROR),
    MALFORMED_PACKET(ReasonCode.MALFORMED_PACKET),
    PROTOCOL_ERROR(ReasonCode.PROTOCOL_ERROR),
    IMPLEMENTATION_SPECIFIC_ERROR(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
    NOT_AUTHORIZED(ReasonCode.NOT_AUTHORIZED),
    SERVER_BUSY(ReasonCode.SERVER_BUSY),
    SERVER_SHUTTING_DOWN(ReasonCode.SERVER_SHUTTING_DOWN),
    BAD_AUTHENTICATION_METHOD(ReasonCode.BAD_AUTHENTICATION_METHOD),
    KEEP_ALIVE_TIMEOUT(ReasonCode.KEEP_ALIVE_TIMEOUT),
    SESSION_TAKEN_OVER(ReasonCode.SESSION_TAKEN_OVER),
    TOPIC_FILTER_INVALID(ReasonCode.TOPIC_FILTER_INVALID),
    TOPIC_NAME_INVALID(ReasonCode.TOPIC_NAME_INVALID),
    RECEIVE_MAXIMUM_EXCEEDED(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED),
    TOPIC_ALIAS_INVALID(ReasonCode.TOPIC_ALIAS_INVALID),
    PACKET_TOO_LARGE(ReasonCode.PACKET_TOO_LARGE),
    MESSAGE_RATE_TOO_HIGH(ReasonCode.MESSAGE_RATE_TOO_HIGH),
    QUOTA_EXCEEDED(ReasonCode.QUOTA_EXCEEDED),
    ADMINISTRATIVE_ACTION(ReasonCode.ADMINISTRATIVE_ACTION),
    PAYLOAD_FORMAT_INVALID(ReasonCode.PAYLOAD_FORMAT_INVALID),
    RETAIN_NOT_SUPPORTED(ReasonCode.RETAIN_NOT_SUPPORTED),
    QOS_NOT_SUPPORTED(ReasonCode.QOS_NOT_SUPPORTED),
    USE_ANOTHER_SERVER(ReasonCode.USE_ANOTHER_SERVER),
    SERVER_MOVED(ReasonCode.SERVER_MOVED),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED),
    CONNECTION_RATE_EXCEEDED(ReasonCode.CONNECTION_RATE_EXCEEDED),
    MAXIMUM_CONNECT_TIME(ReasonCode.MAXIMUM_CONNECT_TIME),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);

    static {
        PacketReasonCode.verify(DisconnectReasonCode.class, PacketType.DISCONNECT);
    }

    private final ReasonCode reasonCode;

    DisconnectReasonCode(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    @Override
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The constant for a byte received on the wire; IllegalArgumentException when DISCONNECT has no such code. */
    public static DisconnectReasonCode fromByte(int value) {
        return PacketReasonCode.of(DisconnectReasonCode.class, ReasonCode.fromByte(PacketType.DISCONNECT, value));
    }

    @Override
    public String toString() {
        return reasonCode.toString();
    }
}
