package dev.mqttsuite.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.config.QuotaConfig;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotasTest {

    private final FakeClock clock = new FakeClock();
    private final QuotaMetrics metrics = new QuotaMetrics(new SimpleMeterRegistry());

    private Quotas quotas(Map<String, String> settings) {
        QuotaConfig config = BrokerConfigValidatorTest.config(settings).quota();
        return new Quotas(config, metrics, clock);
    }

    @Test
    void defaults_limitNothing() {
        Quotas quotas = quotas(Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(quotas.open("alice", "c" + i)).isSameAs(ConnectionQuota.UNLIMITED);
        }
        assertThat(ConnectionQuota.UNLIMITED.tryPublish(1_000_000)).isNull();
        assertThat(ConnectionQuota.UNLIMITED.charge(1_000_000)).isZero();
        assertThat(quotas.trackedUsers()).as("no per-user state when no per-user limit is set").isZero();
    }

    @Test
    void connectionsPerUser_aboveTheMaximumAreRefusedAndCounted_otherUsersUnaffected() {
        Quotas quotas = quotas(Map.of("broker.quota.max-connections-per-user", "2"));
        assertThat(quotas.open("alice", "a1")).isNotNull();
        assertThat(quotas.open("alice", "a2")).isNotNull();
        assertThat(quotas.open("alice", "a3")).isNull();
        assertThat(quotas.open("bob", "b1")).isNotNull();
        assertThat(metrics.count(QuotaMetrics.Kind.CONNECTIONS_PER_USER)).isEqualTo(1);
    }

    @Test
    void takeoverOfTheSameClientId_countsOnce_andTheOldConnectionsReleaseKeepsTheNewOnesPlace() {
        Quotas quotas = quotas(Map.of("broker.quota.max-connections-per-user", "1"));
        ConnectionQuota first = quotas.open("alice", "a1");
        ConnectionQuota second = quotas.open("alice", "a1"); // reconnect while the old socket is half-open
        assertThat(second).isNotNull();
        first.release(); // the taken-over connection ends
        assertThat(quotas.connections("alice")).isEqualTo(1);
        assertThat(quotas.open("alice", "a2")).as("the new connection still holds the place").isNull();
        second.release();
        second.release(); // idempotent
        assertThat(quotas.connections("alice")).isZero();
        assertThat(quotas.trackedUsers()).as("state of users without connections is dropped").isZero();
        assertThat(quotas.open("alice", "a2")).isNotNull();
    }

    @Test
    void userRate_isSharedByTheUsersConnections() {
        Quotas quotas = quotas(Map.of("broker.quota.user-messages-per-second", "2"));
        ConnectionQuota one = quotas.open("alice", "a1");
        ConnectionQuota two = quotas.open("alice", "a2");
        ConnectionQuota bob = quotas.open("bob", "b1");
        assertThat(one.tryPublish(1)).isNull();
        assertThat(two.tryPublish(1)).isNull();
        assertThat(one.tryPublish(1)).isEqualTo(QuotaMetrics.Kind.MESSAGE_RATE);
        assertThat(two.tryPublish(1)).isEqualTo(QuotaMetrics.Kind.MESSAGE_RATE);
        assertThat(bob.tryPublish(1)).as("another user's bucket").isNull();
        clock.advance(500, TimeUnit.MILLISECONDS);
        assertThat(two.tryPublish(1)).isNull();
    }

    @Test
    void byteRate_refusalTakesNoMessageToken() {
        Quotas quotas = quotas(Map.of("broker.quota.client-messages-per-second", "2",
                "broker.quota.client-bytes-per-second", "100"));
        ConnectionQuota quota = quotas.open("alice", "a1");
        assertThat(quota.tryPublish(100)).isNull();
        assertThat(quota.tryPublish(10)).isEqualTo(QuotaMetrics.Kind.BYTE_RATE);
        clock.advance(100, TimeUnit.MILLISECONDS); // 10 bytes back
        assertThat(quota.tryPublish(10)).as("the refused PUBLISH did not spend the second message").isNull();
        assertThat(metrics.count(QuotaMetrics.Kind.BYTE_RATE)).isEqualTo(1);
    }

    @Test
    void charge_forMqtt311_alwaysTakesAndReturnsThePause() {
        Quotas quotas = quotas(Map.of("broker.quota.client-messages-per-second", "10"));
        ConnectionQuota quota = quotas.open("alice", "a1");
        for (int i = 0; i < 10; i++) {
            assertThat(quota.charge(1)).isZero();
        }
        assertThat(quota.charge(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(metrics.count(QuotaMetrics.Kind.MESSAGE_RATE)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "broker.quota.client-messages-per-second, -1",
        "broker.quota.client-bytes-per-second, -1",
        "broker.quota.user-messages-per-second, -1",
        "broker.quota.user-bytes-per-second, -5",
        "broker.quota.burst-seconds, 0",
        "broker.quota.max-connections-per-user, -1"
    })
    void invalidQuotaSetting_failsStartupNamingTheKey(String key, String value) {
        assertThat(QuotaValidation.problems(BrokerConfigValidatorTest.config(Map.of(key, value)).quota()))
                .singleElement().asString().startsWith(key);
    }
}
