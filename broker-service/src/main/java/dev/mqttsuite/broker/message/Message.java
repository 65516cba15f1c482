package dev.mqttsuite.broker.message;

import dev.mqttsuite.topic.TopicName;

/**
 * An application message as the broker routes it: immutable, shared by every subscriber it is delivered to.
 *
 * @param topic the topic name
 * @param payload the payload bytes (never modified after construction)
 * @param qos the QoS it was published with
 * @param retain the RETAIN flag it was published with
 * @param properties MQTT 5 properties forwarded to subscribers
 * @param publisherClientId the publishing client (for No Local), null for broker-generated messages
 * @param expiresAtMillis wall-clock deadline from the Message Expiry Interval, or 0 when it never expires
 */
public record Message(TopicName topic, byte[] payload, int qos, boolean retain, PublishProperties properties,
        String publisherClientId, long expiresAtMillis) {

    public Message {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2, was " + qos);
        }
        properties = properties == null ? PublishProperties.NONE : properties;
    }

    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** Seconds of expiry left, rounded up, for the forwarded Message Expiry Interval [MQTT-3.3.2-6]; -1 if none. */
    public long remainingExpirySeconds(long nowMillis) {
        if (expiresAtMillis == 0) {
            return -1;
        }
        long left = expiresAtMillis - nowMillis;
        return left <= 0 ? 0 : (left + 999) / 1000;
    }

    public Message withRetain(boolean newRetain) {
        return newRetain == retain ? this
                : new Message(topic, payload, qos, newRetain, properties, publisherClientId, expiresAtMillis);
    }

    public Message withQos(int newQos) {
        return newQos == qos ? this
                : new Message(topic, payload, newQos, retain, properties, publisherClientId, expiresAtMillis);
    }
}
