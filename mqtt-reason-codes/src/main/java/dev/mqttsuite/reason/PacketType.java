package dev.mqttsuite.reason;

/** The MQTT 5 control packets that carry a reason code (MQTT 5.0 section 2.4). */
public enum PacketType {
    CONNACK,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBACK,
    UNSUBACK,
    DISCONNECT,
    AUTH
}
