package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import dev.mqttsuite.broker.support.StubSessionListener;
import org.junit.jupiter.api.Test;

/** Offline queues are bounded by count and bytes; what is dropped is counted, never silent. */
class SessionQueueTest {

    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());

    private static Delivery delivery(int qos, int size) {
        return new Delivery(new Message(TopicName.of("t"), new byte[size], qos, false, PublishProperties.NONE, "p", 0),
                qos, false, null, null);
    }

    @Test
    void givenOfflineSession_whenQueueIsFullByCount_thenNewMessagesAreDroppedAndCounted() {
        Session session = new Session("c", new SessionLimits(3, 1_000_000, false, 2, 1, 10), metrics);
        for (int i = 0; i < 3; i++) {
            assertThat(session.enqueue(delivery(1, 10), null)).isEqualTo(Session.Enqueued.QUEUED);
        }
        assertThat(session.enqueue(delivery(1, 10), null)).isIn(Session.Enqueued.DROPPED, Session.Enqueued.FULL);
        assertThat(session.queuedMessages()).isEqualTo(3);
        assertThat(metrics.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
    }

    @Test
    void givenOfflineSession_whenQueueIsFullByBytes_thenNewMessagesAreDroppedAndCounted() {
        Session session = new Session("c", new SessionLimits(100, 1_000, false, 50, 10, 10), metrics);
        assertThat(session.enqueue(delivery(1, 900), null)).isEqualTo(Session.Enqueued.QUEUED);
        assertThat(session.enqueue(delivery(1, 200), null)).isIn(Session.Enqueued.DROPPED, Session.Enqueued.FULL);
        assertThat(metrics.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
    }

    @Test
    void givenOfflineSession_qos0IsNotQueuedByDefault_butCounted() {
        Session session = new Session("c", new SessionLimits(100, 1_000_000, false, 50, 10, 10), metrics);
        assertThat(session.enqueue(delivery(0, 10), null)).isIn(Session.Enqueued.DROPPED, Session.Enqueued.FULL);
        assertThat(metrics.droppedCount(DropReason.QOS0_OFFLINE)).isEqualTo(1);
        Session queuing = new Session("d", new SessionLimits(100, 1_000_000, true, 50, 10, 10), metrics);
        assertThat(queuing.enqueue(delivery(0, 10), null)).isEqualTo(Session.Enqueued.QUEUED);
    }

    @Test
    void endedSession_acceptsNothing() {
        Session session = new Session("c", new SessionLimits(100, 1_000_000, false, 50, 10, 10), metrics);
        session.end();
        assertThat(session.enqueue(delivery(1, 10), null)).isIn(Session.Enqueued.DROPPED, Session.Enqueued.FULL);
    }

    private static SessionLimits limits(int maxMessages, dev.mqttsuite.broker.config.BrokerConfig.QueueOverflow policy,
            long total) {
        return new SessionLimits(maxMessages, 1_000_000, false, 50, 10, 10, policy, new QueueBudget(total));
    }

    @Test
    void dropOldest_makesRoomByDroppingTheOldestQueuedMessage_countedPerSession() {
        Session session = new Session("c", limits(2, dev.mqttsuite.broker.config.BrokerConfig.QueueOverflow.DROP_OLDEST,
                Long.MAX_VALUE), metrics);
        Delivery first = delivery(1, 10);
        session.enqueue(first, null);
        session.enqueue(delivery(1, 10), null);
        assertThat(session.enqueue(delivery(1, 10), null)).isEqualTo(Session.Enqueued.QUEUED);
        assertThat(session.queuedMessages()).isEqualTo(2);
        assertThat(session.droppedMessages()).isEqualTo(1);
        assertThat(metrics.sessionDrops()).containsEntry("c", 1L);
        assertThat(session.state(0).queue()).doesNotContain(first);
    }

    @Test
    void refuse_doesNotQueueAndSaysFull_soThePublisherCanBeToldQuotaExceeded() {
        Session session = new Session("c", limits(1, dev.mqttsuite.broker.config.BrokerConfig.QueueOverflow.REFUSE,
                Long.MAX_VALUE), metrics);
        session.enqueue(delivery(1, 10), null);
        assertThat(session.enqueue(delivery(1, 10), null)).isEqualTo(Session.Enqueued.FULL);
        assertThat(session.queuedMessages()).isEqualTo(1);
        session.end();
        assertThat(metrics.sessionDrops()).as("the per-session counter goes with the session").doesNotContainKey("c");
    }

    @Test
    void theBrokerWideBudgetBoundsAllSessionsTogether_andIsGivenBackWhenMessagesLeave() {
        QueueBudget budget = new QueueBudget(200);
        SessionLimits shared = new SessionLimits(100, 1_000_000, false, 50, 10, 10,
                dev.mqttsuite.broker.config.BrokerConfig.QueueOverflow.DROP_NEW, budget);
        Session a = new Session("a", shared, metrics);
        Session b = new Session("b", shared, metrics);
        assertThat(a.enqueue(delivery(1, 100), null)).isEqualTo(Session.Enqueued.QUEUED);
        assertThat(b.enqueue(delivery(1, 100), null)).isEqualTo(Session.Enqueued.DROPPED);
        a.end();
        assertThat(budget.used()).isZero();
        assertThat(b.enqueue(delivery(1, 100), null)).isEqualTo(Session.Enqueued.QUEUED);
    }

    @Test
    void aSessionOfAnotherUserIsRefusedOrReplaced_neverResumed() throws Exception {
        SessionLimits limits = new SessionLimits(100, 1_000_000, false, 50, 10, 10);
        LocalSessionDirectory refusing = new LocalSessionDirectory(limits, metrics, SessionJournal.IN_MEMORY, s -> { },
                d -> { }, true);
        Session alices = refusing.attach("device", false, idle(), 300, "alice").toCompletableFuture().get().session();
        refusing.detach(alices, refusing.connectionOf(alices));
        alices.enqueue(delivery(1, 10), null);
        assertThat(refusing.attach("device", false, idle(), 300, "bob").toCompletableFuture())
                .failsWithin(java.time.Duration.ofSeconds(1)).withThrowableOfType(
                        java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(SessionDirectory.ForeignSession.class);
        assertThat(refusing.attach("device", false, idle(), 300, "alice").toCompletableFuture().get().sessionPresent())
                .isTrue();

        LocalSessionDirectory fresh = new LocalSessionDirectory(limits, metrics, SessionJournal.IN_MEMORY, s -> { },
                d -> { }, false);
        Session first = fresh.attach("device", false, idle(), 300, "alice").toCompletableFuture().get().session();
        first.enqueue(delivery(1, 10), null);
        SessionDirectory.Attach bobs = fresh.attach("device", false, idle(), 300, "bob").toCompletableFuture().get();
        assertThat(bobs.sessionPresent()).isFalse();
        assertThat(bobs.session().queuedMessages()).isZero();
        assertThat(first.isEnded()).isTrue();
    }

    @Test
    void messagesQueuedWhileOfflineAreCheckedAgainstTheReceiversPermissionsWhenSent() {
        Session session = new Session("c", new SessionLimits(100, 1_000_000, false, 50, 10, 10), metrics);
        session.enqueue(delivery(1, 10), null); // offline: routed with the last known permissions
        StubSessionListener now = new StubSessionListener(dev.mqttsuite.broker.auth.Permissions.NONE);
        session.attach(now, 300);
        session.drain(now);
        assertThat(now.sent).as("the user may not read it any more").isEmpty();
        assertThat(metrics.droppedCount(DropReason.NOT_AUTHORIZED)).isEqualTo(1);
    }

    /** A connection that accepts everything and does nothing. */
    private static SessionListener idle() {
        return new StubSessionListener();
    }
}
