package dev.mqttsuite.retained.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Limits the store cannot honour stop the start, naming the settings; safe ones pass. */
class StoreLimitsCheckTest {

    private static final long MIB = 1 << 20;
    private static final long GRPC_LIMIT = 8 * MIB;

    @Test
    void defaults_fitAHalfGigabyteHeap() {
        assertThat(StoreLimitsCheck.problems(StoreConfig.Storage.LOG, 1_048_576, 500_000, 128 * MIB, 512 * MIB,
                GRPC_LIMIT)).isEmpty();
    }

    @Test
    void embeddedLogLimitsAboveTheHeap_failNamingBothSettingsAndTheHeap() {
        assertThat(StoreLimitsCheck.problems(StoreConfig.Storage.LOG, 1_048_576, 5_000_000, 4096 * MIB, 576 * MIB,
                GRPC_LIMIT)).singleElement().asString().contains("retained.limits.max-total-bytes=")
                .contains("retained.limits.max-count=5000000").contains("576 MiB");
    }

    @Test
    void postgresqlStorage_isNotBoundByTheHeap() {
        assertThat(StoreLimitsCheck.problems(StoreConfig.Storage.POSTGRESQL, 1_048_576, 5_000_000, 4096 * MIB,
                576 * MIB, GRPC_LIMIT)).isEmpty();
    }

    @Test
    void nonPositiveLimits_andAPayloadLimitAboveTheGrpcLimit_areRefused() {
        assertThat(StoreLimitsCheck.problems(StoreConfig.Storage.POSTGRESQL, 0, 0, 0, MIB, GRPC_LIMIT))
                .hasSize(3).anySatisfy(p -> assertThat(p).startsWith("retained.limits.max-payload-size=0"))
                .anySatisfy(p -> assertThat(p).startsWith("retained.limits.max-count=0"))
                .anySatisfy(p -> assertThat(p).startsWith("retained.limits.max-total-bytes=0"));
        assertThat(StoreLimitsCheck.problems(StoreConfig.Storage.POSTGRESQL, (int) GRPC_LIMIT, 1, 1, MIB, GRPC_LIMIT))
                .singleElement().asString().contains("quarkus.grpc.server.max-inbound-message-size");
    }

    @Test
    void hugeLimits_doNotOverflow() {
        assertThat(StoreLimitsCheck.heapNeeded(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }
}
