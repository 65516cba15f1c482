package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;

/**
 * A {@link SessionJournal} that turns every change into one {@link LogRecord} (a key of one session set or removed)
 * and hands it to {@link #append}: the session log writes the records to disk, the cluster's replicator ships them to
 * the replica. Called under the session's lock, so one session's records arrive in the order of its changes.
 */
public abstract class RecordingJournal implements SessionJournal {

    /** Takes one record; must not block (callers hold a session's lock on an event loop). */
    protected abstract void append(LogRecord record);

    @Override
    public void opened(Session session, long expiryIntervalSeconds) {
        append(new LogRecord.Opened(session.clientId(), expiryIntervalSeconds, session.owner()));
    }

    @Override
    public void attached(Session session, long expiryIntervalSeconds) {
        append(new LogRecord.Attached(session.clientId(), expiryIntervalSeconds));
    }

    @Override
    public void detached(Session session, long expiryIntervalSeconds, long atMillis) {
        append(new LogRecord.Detached(session.clientId(), expiryIntervalSeconds, atMillis));
    }

    @Override
    public void ended(Session session) {
        append(new LogRecord.Ended(session.clientId()));
    }

    @Override
    public void subscribed(Session session, SubscriptionTopic topic, SubscriptionOptions options) {
        append(new LogRecord.Subscribed(session.clientId(), topic, options));
    }

    @Override
    public void unsubscribed(Session session, SubscriptionTopic topic) {
        append(new LogRecord.Unsubscribed(session.clientId(), topic));
    }

    @Override
    public void queued(Session session, Delivery delivery) {
        append(new LogRecord.Queued(session.clientId(), delivery.journalId(), delivery.message(), delivery.qos(),
                delivery.retain(), delivery.subscriptionIds()));
    }

    @Override
    public void sent(Session session, Delivery delivery) {
        append(new LogRecord.Sent(session.clientId(), delivery.journalId(), delivery.packetId()));
    }

    @Override
    public void released(Session session, Delivery delivery) {
        append(new LogRecord.Released(session.clientId(), delivery.journalId()));
    }

    @Override
    public void completed(Session session, Delivery delivery) {
        append(new LogRecord.Completed(session.clientId(), delivery.journalId()));
    }

    @Override
    public void inboundStarted(Session session, int packetId) {
        append(new LogRecord.InboundStarted(session.clientId(), packetId));
    }

    @Override
    public void inboundReleased(Session session, int packetId) {
        append(new LogRecord.InboundReleased(session.clientId(), packetId));
    }

    @Override
    public void will(Session session, StoredWill will) {
        append(new LogRecord.WillSet(session.clientId(), will));
    }
}
