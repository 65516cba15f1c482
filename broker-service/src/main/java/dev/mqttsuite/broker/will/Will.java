package dev.mqttsuite.broker.will;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.StoredWill;

/**
 * A Will Message stored at CONNECT (MQTT 5.0 section 3.1.2.5).
 *
 * @param message the message, without an expiry deadline yet
 * @param delaySeconds the Will Delay Interval
 * @param expirySeconds the will's Message Expiry Interval, counted from publication; -1 when none
 */
public record Will(Message message, long delaySeconds, long expirySeconds) {

    /** The message as published now: the expiry deadline starts at publication. */
    public Message toPublish(long nowMillis) {
        if (expirySeconds < 0) {
            return message;
        }
        return new Message(message.topic(), message.payload(), message.qos(), message.retain(), message.properties(),
                message.publisherClientId(), nowMillis + expirySeconds * 1000);
    }

    /** The will as the session journal keeps it. */
    public StoredWill stored() {
        return new StoredWill(message, delaySeconds, expirySeconds);
    }

    /** A will the session journal kept. */
    public static Will of(StoredWill stored) {
        return new Will(stored.message(), stored.delaySeconds(), stored.expirySeconds());
    }

    /** A will together with the permissions of the client it belongs to, checked when it is published. */
    public record Pending(Will will, Permissions permissions) {
    }
}
