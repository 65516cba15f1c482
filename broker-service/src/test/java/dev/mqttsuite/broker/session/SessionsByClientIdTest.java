package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.support.StubSessionListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The directory's client id order (the admin API's listings) follows sessions as they begin, are replaced and end. */
class SessionsByClientIdTest {

    private final LocalSessionDirectory directory = new LocalSessionDirectory(
            new SessionLimits(100_000, 1L << 30, false, 10_000, 5_000, 100),
            new BrokerMetrics(new SimpleMeterRegistry()), SessionJournal.IN_MEMORY, ended -> { }, orphan -> { });

    private Session connect(String clientId, boolean cleanStart) {
        return directory.attach(clientId, cleanStart, new StubSessionListener(), 300, "user").toCompletableFuture()
                .join().session();
    }

    @Test
    void sessionsAreListedInClientIdOrder_andLeaveTheListWhenTheyEnd() {
        Session b = connect("b", true);
        connect("c", true);
        Session a = connect("a", true);
        assertThat(directory.byClientId().keySet()).containsExactly("a", "b", "c");

        directory.detach(b, directory.connectionOf(b));
        assertThat(directory.endIfIdle(b)).isTrue();
        assertThat(directory.byClientId().keySet()).containsExactly("a", "c");
        assertThat(directory.byClientId().get("a")).isSameAs(a);
    }

    @Test
    void aCleanStartReplacement_isListedOnce_andTheOldSessionsEndNeverRemovesTheNewOne() {
        Session first = connect("x", true);
        Session second = connect("x", true); // clean start: the first session ends, a new one begins [MQTT-3.1.2-4]
        assertThat(second).isNotSameAs(first);
        assertThat(first.isEnded()).isTrue();
        assertThat(directory.byClientId()).hasSize(1).containsEntry("x", second);

        Session resumed = connect("x", false); // resumed: the same session, nothing changes in the order
        assertThat(resumed).isSameAs(second);
        assertThat(directory.byClientId()).hasSize(1).containsEntry("x", second);
    }
}
