package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;

/**
 * One change of one persistent session, as the session log writes it. Each record states what a key of the session
 * is after the change (set or removed), so replaying a suffix of the log over a state that already holds part of it
 * gives the same result: that is what lets a snapshot be taken while the log keeps growing.
 */
public sealed interface LogRecord {

    String clientId();

    /** A new session (any earlier one with this client id is gone). */
    record Opened(String clientId, long expiryIntervalSeconds, String owner) implements LogRecord {
    }

    /** A connection attached; until {@link Detached}, a crash counts as the connection dying. */
    record Attached(String clientId, long expiryIntervalSeconds) implements LogRecord {
    }

    record Detached(String clientId, long expiryIntervalSeconds, long atMillis) implements LogRecord {
    }

    record Ended(String clientId) implements LogRecord {
    }

    record Subscribed(String clientId, SubscriptionTopic topic, SubscriptionOptions options) implements LogRecord {
    }

    record Unsubscribed(String clientId, SubscriptionTopic topic) implements LogRecord {
    }

    record Queued(String clientId, long id, Message message, int qos, boolean retain, int[] subscriptionIds)
            implements LogRecord {
    }

    record Sent(String clientId, long id, int packetId) implements LogRecord {
    }

    record Released(String clientId, long id) implements LogRecord {
    }

    record Completed(String clientId, long id) implements LogRecord {
    }

    record InboundStarted(String clientId, int packetId) implements LogRecord {
    }

    record InboundReleased(String clientId, int packetId) implements LogRecord {
    }

    /** The will to publish if the connection dies; null clears it. */
    record WillSet(String clientId, StoredWill will) implements LogRecord {
    }
}
