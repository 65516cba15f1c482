package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
            assertThat(session.enqueue(delivery(1, 10), null)).isTrue();
        }
        assertThat(session.enqueue(delivery(1, 10), null)).isFalse();
        assertThat(session.queuedMessages()).isEqualTo(3);
        assertThat(metrics.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
    }

    @Test
    void givenOfflineSession_whenQueueIsFullByBytes_thenNewMessagesAreDroppedAndCounted() {
        Session session = new Session("c", new SessionLimits(100, 1_000, false, 50, 10, 10), metrics);
        assertThat(session.enqueue(delivery(1, 900), null)).isTrue();
        assertThat(session.enqueue(delivery(1, 200), null)).isFalse();
        assertThat(metrics.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
    }

    @Test
    void givenOfflineSession_qos0IsNotQueuedByDefault_butCounted() {
        Session session = new Session("c", new SessionLimits(100, 1_000_000, false, 50, 10, 10), metrics);
        assertThat(session.enqueue(delivery(0, 10), null)).isFalse();
        assertThat(metrics.droppedCount(DropReason.QOS0_OFFLINE)).isEqualTo(1);
        Session queuing = new Session("d", new SessionLimits(100, 1_000_000, true, 50, 10, 10), metrics);
        assertThat(queuing.enqueue(delivery(0, 10), null)).isTrue();
    }

    @Test
    void endedSession_acceptsNothing() {
        Session session = new Session("c", new SessionLimits(100, 1_000_000, false, 50, 10, 10), metrics);
        session.end();
        assertThat(session.enqueue(delivery(1, 10), null)).isFalse();
    }
}
