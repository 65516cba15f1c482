package dev.mqttsuite.broker.protocol;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;

/** The first byte of a fixed header (MQTT 5.0 section 2.1): the packet type and its flags. */
final class FixedHeaders {

    private static final MqttFixedHeader[] BY_TYPE = new MqttFixedHeader[16];

    static {
        for (MqttMessageType type : MqttMessageType.values()) {
            MqttQoS qos = type == MqttMessageType.PUBREL || type == MqttMessageType.SUBSCRIBE
                    || type == MqttMessageType.UNSUBSCRIBE ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
            BY_TYPE[type.value()] = new MqttFixedHeader(type, false, qos, false, 0);
        }
    }

    private FixedHeaders() {
    }

    /**
     * The fixed header of a packet other than PUBLISH, as Netty's encoder expects it (the 0010 flags of PUBREL,
     * SUBSCRIBE and UNSUBSCRIBE appear as QoS 1). Immutable, so shared.
     */
    static MqttFixedHeader of(MqttMessageType type) {
        return BY_TYPE[type.value()];
    }

    /**
     * Checks the flags every packet type fixes: PUBREL, SUBSCRIBE and UNSUBSCRIBE 0010, the others but PUBLISH 0000
     * [MQTT-2.1.3-1]; PUBLISH not QoS 3 [MQTT-3.3.1-4] and no DUP at QoS 0 [MQTT-3.3.1-2].
     */
    static void checkFlags(MqttMessageType type, int flags) {
        switch (type) {
            case PUBLISH -> {
                int qos = (flags >> 1) & 3;
                if (qos == 3) {
                    throw MqttDecodeException.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                if (qos == 0 && (flags & 0x08) != 0) {
                    throw MqttDecodeException.malformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
                }
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> {
                if (flags != 0x02) {
                    throw MqttDecodeException.malformed(type + " with reserved flags " + flags
                            + " instead of 0010 [MQTT-2.1.3-1]");
                }
            }
            default -> {
                if (flags != 0) {
                    throw MqttDecodeException.malformed(type + " with reserved flags " + flags + " [MQTT-2.1.3-1]");
                }
            }
        }
    }
}
