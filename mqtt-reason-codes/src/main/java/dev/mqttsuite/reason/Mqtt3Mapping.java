package dev.mqttsuite.reason;

import java.util.OptionalInt;

/**
 * The one place where MQTT 5 reason codes are downgraded to what MQTT 3.1 / 3.1.1 can say.
 *
 * <p>MQTT 3.1.1 has return codes only in CONNACK (0..5, section 3.2.2.3) and SUBACK (0x00, 0x01, 0x02, 0x80,
 * section 3.9.3); PUBACK, PUBREC, UNSUBACK and DISCONNECT carry none, so failures there become either a normal
 * acknowledgement, a withheld acknowledgement or a closed connection.
 */
public final class Mqtt3Mapping {

    /** 3.1.1 CONNACK return codes (MQTT 3.1.1 table 3.1). */
    public static final int CONNECTION_ACCEPTED = 0;
    public static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
    public static final int IDENTIFIER_REJECTED = 2;
    public static final int SERVER_UNAVAILABLE = 3;
    public static final int BAD_USER_NAME_OR_PASSWORD = 4;
    public static final int NOT_AUTHORIZED = 5;

    /** 3.1.1 SUBACK failure return code. */
    public static final int SUBACK_FAILURE = 0x80;

    /** What a 3.1.1 broker does where MQTT 5 would send a PUBACK/PUBREC reason code. */
    public enum PublishOutcome {
        /** Send the normal PUBACK/PUBREC. */
        ACKNOWLEDGE,
        /**
         * Send nothing: the message was not accepted and the client, which does not get an acknowledgement, will
         * resend it (with DUP) when it reconnects.
         */
        WITHHOLD_ACKNOWLEDGEMENT,
        /** Close the network connection [MQTT-3.3.5-2]. */
        CLOSE_CONNECTION
    }

    private Mqtt3Mapping() {
    }

    /**
     * The 3.1.1 CONNACK return code for an MQTT 5 CONNACK reason code, or empty when 3.1.1 has no code for it and
     * the server closes the connection without a CONNACK (e.g. Malformed Packet, Protocol Error) [MQTT-3.2.2-5].
     */
    public static OptionalInt connackReturnCode(ConnackReasonCode code) {
        return switch (code) {
            case SUCCESS -> OptionalInt.of(CONNECTION_ACCEPTED);
            case UNSUPPORTED_PROTOCOL_VERSION -> OptionalInt.of(UNACCEPTABLE_PROTOCOL_VERSION);
            case CLIENT_IDENTIFIER_NOT_VALID -> OptionalInt.of(IDENTIFIER_REJECTED);
            case SERVER_UNAVAILABLE, SERVER_BUSY, USE_ANOTHER_SERVER, SERVER_MOVED, CONNECTION_RATE_EXCEEDED,
                    QUOTA_EXCEEDED -> OptionalInt.of(SERVER_UNAVAILABLE);
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> OptionalInt.of(BAD_USER_NAME_OR_PASSWORD);
            case NOT_AUTHORIZED, BANNED -> OptionalInt.of(NOT_AUTHORIZED);
            case UNSPECIFIED_ERROR, MALFORMED_PACKET, PROTOCOL_ERROR, IMPLEMENTATION_SPECIFIC_ERROR,
                    TOPIC_NAME_INVALID, PACKET_TOO_LARGE, PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED,
                    QOS_NOT_SUPPORTED -> OptionalInt.empty();
        };
    }

    /** The 3.1.1 SUBACK return code: the granted QoS, or 0x80 for every failure. */
    public static int subackReturnCode(SubackReasonCode code) {
        return switch (code) {
            case GRANTED_QOS_0 -> 0;
            case GRANTED_QOS_1 -> 1;
            case GRANTED_QOS_2 -> 2;
            default -> SUBACK_FAILURE;
        };
    }

    /**
     * What to do for a 3.1.1 publisher where MQTT 5 would answer with this PUBACK/PUBREC code.
     *
     * <ul>
     *   <li>Successes are acknowledged.</li>
     *   <li>Not authorized: acknowledged and dropped, the choice [MQTT-3.3.5-2] allows and the one Mosquitto makes, so a
     *       misconfigured ACL does not make a client reconnect in a loop.</li>
     *   <li>Transient failures (unspecified, implementation specific, quota exceeded): the acknowledgement is
     *       withheld so that the client resends after reconnecting; nothing is pretended to be stored.</li>
     *   <li>Errors that mean the client misbehaves (invalid topic, invalid payload format, packet id in use): the
     *       connection is closed.</li>
     * </ul>
     */
    public static PublishOutcome publishOutcome(PubackReasonCode code) {
        return switch (code) {
            case SUCCESS, NO_MATCHING_SUBSCRIBERS, NOT_AUTHORIZED -> PublishOutcome.ACKNOWLEDGE;
            case UNSPECIFIED_ERROR, IMPLEMENTATION_SPECIFIC_ERROR, QUOTA_EXCEEDED ->
                    PublishOutcome.WITHHOLD_ACKNOWLEDGEMENT;
            case TOPIC_NAME_INVALID, PACKET_IDENTIFIER_IN_USE, PAYLOAD_FORMAT_INVALID -> PublishOutcome.CLOSE_CONNECTION;
        };
    }
}
