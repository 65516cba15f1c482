package dev.mqttsuite.broker.message;

/** An MQTT 5 user property: a UTF-8 string pair, order and duplicates preserved [MQTT-3.3.2-17]. */
public record UserProperty(String key, String value) {
}
