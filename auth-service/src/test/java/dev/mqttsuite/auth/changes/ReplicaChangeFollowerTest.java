package dev.mqttsuite.auth.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The audit-log poller's thread belongs to the follower and ends when the application stops. */
class ReplicaChangeFollowerTest {

    /** Poller threads alive (a Quarkus test application of this JVM may have its own). */
    private static long pollers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("auth-replica-changes")).count();
    }

    @Test
    void thePollerThread_startsWithTheFollower_andEndsWhenItStops() {
        long before = pollers();
        ReplicaChangeFollower follower = new ReplicaChangeFollower();
        follower.start(Duration.ofHours(1)); // no poll comes due during the test: only the thread's life is tested
        follower.start(Duration.ofHours(1)); // a second start adds no thread
        assertThat(pollers()).isEqualTo(before + 1);
        follower.stop();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pollers() == before);
        follower.stop(); // stopping twice is harmless
    }
}
