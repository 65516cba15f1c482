package dev.mqttsuite.broker.cluster.session;

import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * This broker's journal in a cluster: every change of a persistent session goes to the local journal (the session log,
 * or nothing with {@code broker.session.persistence=memory}) and to the replica; a barrier completes when both have
 * it, so a QoS 1/2 acknowledgement waits for the local disk and the replica (docs/adr/0017).
 */
public final class ReplicatedJournal implements SessionJournal {

    private final SessionJournal local;
    private final SessionReplicator replica;

    public ReplicatedJournal(SessionJournal local, SessionReplicator replica) {
        this.local = local;
        this.replica = replica;
    }

    @Override
    public void opened(Session session, long expiryIntervalSeconds) {
        local.opened(session, expiryIntervalSeconds);
        replica.opened(session, expiryIntervalSeconds);
    }

    @Override
    public void attached(Session session, long expiryIntervalSeconds) {
        local.attached(session, expiryIntervalSeconds);
        replica.attached(session, expiryIntervalSeconds);
    }

    @Override
    public void detached(Session session, long expiryIntervalSeconds, long atMillis) {
        local.detached(session, expiryIntervalSeconds, atMillis);
        replica.detached(session, expiryIntervalSeconds, atMillis);
    }

    @Override
    public void ended(Session session) {
        local.ended(session);
        replica.ended(session);
    }

    /**
     * The session ends here but lives on at its new owner: the replica is not told (an Ended record would delete it),
     * so that if the state sent over gRPC never arrives the new owner still takes the session from the replica.
     */
    @Override
    public void handedOver(Session session) {
        local.ended(session);
    }

    @Override
    public void subscribed(Session session, SubscriptionTopic topic, SubscriptionOptions options) {
        local.subscribed(session, topic, options);
        replica.subscribed(session, topic, options);
    }

    @Override
    public void unsubscribed(Session session, SubscriptionTopic topic) {
        local.unsubscribed(session, topic);
        replica.unsubscribed(session, topic);
    }

    @Override
    public void queued(Session session, Delivery delivery) {
        local.queued(session, delivery);
        replica.queued(session, delivery);
    }

    @Override
    public void sent(Session session, Delivery delivery) {
        local.sent(session, delivery);
        replica.sent(session, delivery);
    }

    @Override
    public void released(Session session, Delivery delivery) {
        local.released(session, delivery);
        replica.released(session, delivery);
    }

    @Override
    public void completed(Session session, Delivery delivery) {
        local.completed(session, delivery);
        replica.completed(session, delivery);
    }

    @Override
    public void inboundStarted(Session session, int packetId) {
        local.inboundStarted(session, packetId);
        replica.inboundStarted(session, packetId);
    }

    @Override
    public void inboundReleased(Session session, int packetId) {
        local.inboundReleased(session, packetId);
        replica.inboundReleased(session, packetId);
    }

    @Override
    public void will(Session session, StoredWill will) {
        local.will(session, will);
        replica.will(session, will);
    }

    @Override
    public <T> T together(Supplier<T> changes) {
        return local.together(changes); // the replica is written per session: a crash there is a takeover (ADR 0017)
    }

    @Override
    public CompletionStage<Void> barrier() {
        CompletionStage<Void> replicated = replica.barrier();
        return local.durable() ? local.barrier().thenCombine(replicated, (a, b) -> null) : replicated;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Refusal refusal() {
        return local.refusal();
    }
}
