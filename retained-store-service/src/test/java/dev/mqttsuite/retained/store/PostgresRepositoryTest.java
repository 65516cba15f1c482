package dev.mqttsuite.retained.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.store.postgres.PostgresRepository;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The contract against a real PostgreSQL: {@code RETAINED_TEST_PG_URL} (started by {@code scripts/test-postgres.sh},
 * which {@code .ci/run} does; user/password mqtt/mqtt). Skipped locally without it; required in CI
 * ({@code MQTT_SUITE_REQUIRE_POSTGRES=true}).
 */
class PostgresRepositoryTest extends RetainedRepositoryContract {

    private static final String URL = System.getenv("RETAINED_TEST_PG_URL");

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("MQTT_SUITE_REQUIRE_POSTGRES"))) {
            assertThat(URL).as("RETAINED_TEST_PG_URL must be set in CI").isNotBlank();
        }
        assumeTrue(URL != null && !URL.isBlank(), "RETAINED_TEST_PG_URL not set: skipping the PostgreSQL adapter"
                + " (start one with scripts/test-postgres.sh start /tmp/pg 55432)");
    }

    @Override
    protected RetainedRepository create(AppendLogRepository.Limits limits) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(URL);
        ds.setUser("mqtt");
        ds.setPassword("mqtt");
        return new PostgresRepository(ds, limits);
    }

    @Test
    void close_endsTheRepositorysDatabaseThreads_andLaterPutsAreRefused() {
        put(message(prefix + "/a", "x")); // starts a database thread
        repository.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("retained-pg-")));
        assertThat(repository.put(message(prefix + "/b", "y")).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                .isInstanceOf(IllegalStateException.class).withMessageContaining("closed");
    }
}
