package dev.mqttsuite.reason;

import static dev.mqttsuite.reason.PacketType.AUTH;
import static dev.mqttsuite.reason.PacketType.CONNACK;
import static dev.mqttsuite.reason.PacketType.DISCONNECT;
import static dev.mqttsuite.reason.PacketType.PUBACK;
import static dev.mqttsuite.reason.PacketType.PUBCOMP;
import static dev.mqttsuite.reason.PacketType.PUBREC;
import static dev.mqttsuite.reason.PacketType.PUBREL;
import static dev.mqttsuite.reason.PacketType.SUBACK;
import static dev.mqttsuite.reason.PacketType.UNSUBACK;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of MQTT 5 reason codes (MQTT 5.0 section 2.4, table 2-6): the byte on the wire, the name the
 * specification gives it, and the packets it may appear in. Several names share a byte (0x00 is "Success",
 * "Normal disconnection" and "Granted QoS 0"); each gets its own constant so that code reads like the spec.
 *
 * <p>The per-packet types ({@link ConnackReasonCode}, {@link PubackReasonCode}, ...) are built from this table
 * and checked against it when they are loaded, so the table stays the single source of truth.
 */
public enum ReasonCode {
    SUCCESS(0x00, "Success", CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, "Normal disconnection", DISCONNECT),
    GRANTED_QOS_0(0x00, "Granted QoS 0", SUBACK),
    GRANTED_QOS_1(0x01, "Granted QoS 1", SUBACK),
    GRANTED_QOS_2(0x02, "Granted QoS 2", SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, "Disconnect with Will Message", DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, "No matching subscribers", PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, "No subscription existed", UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, "Continue authentication", AUTH),
    RE_AUTHENTICATE(0x19, "Re-authenticate", AUTH),
    UNSPECIFIED_ERROR(0x80, "Unspecified error", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, "Malformed Packet", CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, "Protocol Error", CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, "Implementation specific error",
            CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, "Unsupported Protocol Version", CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, "Client Identifier not valid", CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, "Bad User Name or Password", CONNACK),
    NOT_AUTHORIZED(0x87, "Not authorized", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, "Server unavailable", CONNACK),
    SERVER_BUSY(0x89, "Server busy", CONNACK, DISCONNECT),
    BANNED(0x8A, "Banned", CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, "Server shutting down", DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, "Bad authentication method", CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, "Keep Alive timeout", DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, "Session taken over", DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, "Topic Filter invalid", SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, "Topic Name invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, "Packet Identifier in use", PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, "Packet Identifier not found", PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, "Receive Maximum exceeded", DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, "Topic Alias invalid", DISCONNECT),
    PACKET_TOO_LARGE(0x95, "Packet too large", CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, "Message rate too high", DISCONNECT),
    QUOTA_EXCEEDED(0x97, "Quota exceeded", CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, "Administrative action", DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, "Payload format invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, "Retain not supported", CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, "QoS not supported", CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, "Use another server", CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, "Server moved", CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, "Shared Subscriptions not supported", SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, "Connection rate exceeded", CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, "Maximum connect time", DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, "Subscription Identifiers not supported", SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, "Wildcard Subscriptions not supported", SUBACK, DISCONNECT);

    private static final Map<PacketType, Set<ReasonCode>> BY_PACKET = new EnumMap<>(PacketType.class);

    static {
        for (PacketType packet : PacketType.values()) {
            EnumSet<ReasonCode> codes = EnumSet.noneOf(ReasonCode.class);
            for (ReasonCode code : values()) {
                if (code.packets.contains(packet)) {
                    codes.add(code);
                }
            }
            BY_PACKET.put(packet, Collections.unmodifiableSet(codes));
        }
    }

    private final byte code;
    private final String specName;
    private final Set<PacketType> packets;

    ReasonCode(int code, String specName, PacketType first, PacketType... rest) {
        this.code = (byte) code;
        this.specName = specName;
        this.packets = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    /** The byte on the wire. */
    public byte code() {
        return code;
    }

    /** The byte on the wire as an unsigned int (0x00..0xFF). */
    public int unsignedCode() {
        return code & 0xFF;
    }

    /** The name the specification gives this code, e.g. "Packet too large". */
    public String specName() {
        return specName;
    }

    /** Codes of 0x80 and above are failures [MQTT-2.4]. */
    public boolean isError() {
        return unsignedCode() >= 0x80;
    }

    /** Whether the specification allows this code in the given packet. */
    public boolean isAllowedIn(PacketType packet) {
        return packets.contains(packet);
    }

    /** The packets this code may appear in. */
    public Set<PacketType> packets() {
        return packets;
    }

    /** All codes the specification allows in the given packet. */
    public static Set<ReasonCode> allowedIn(PacketType packet) {
        return BY_PACKET.get(packet);
    }

    /**
     * Decodes a byte received in the given packet.
     *
     * @throws IllegalArgumentException when the byte is not a reason code of that packet (the caller answers
     *     with a Malformed Packet / Protocol Error disconnect)
     */
    public static ReasonCode fromByte(PacketType packet, int value) {
        int unsigned = value & 0xFF;
        for (ReasonCode code : BY_PACKET.get(packet)) {
            if (code.unsignedCode() == unsigned) {
                return code;
            }
        }
        throw new IllegalArgumentException(String.format("0x%02X is not a reason code of %s", unsigned, packet));
    }

    @Override
    public String toString() {
        return String.format("0x%02X %s", unsignedCode(), specName);
    }
}
