package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.message.Message;

/**
 * A session's Will Message as the session journal keeps it, so that a will whose connection died with the broker is
 * still published after a restart (after what is left of its delay). Only wills the client was authorized to publish
 * at CONNECT are kept.
 *
 * @param message the message, without an expiry deadline yet
 * @param delaySeconds the Will Delay Interval
 * @param expirySeconds the Message Expiry Interval counted from publication; -1 when none
 */
public record StoredWill(Message message, long delaySeconds, long expirySeconds) {
}
