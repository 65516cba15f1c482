package dev.mqttsuite.retained.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Match pump threads belong to one service instance and end with it (no process-wide pool left running). */
class RetainedStoreGrpcServiceLifecycleTest {

    @Test
    void eachServiceInstanceOwnsItsPumps_andClosingOneLeavesTheOtherRunning() {
        RetainedStoreGrpcService first = new RetainedStoreGrpcService();
        RetainedStoreGrpcService second = new RetainedStoreGrpcService();
        assertThat(first.pumps()).isNotSameAs(second.pumps());
        first.close();
        assertThat(first.pumps().isTerminated()).isTrue();
        assertThat(second.pumps().isShutdown()).isFalse();
        second.close();
    }

    @Test
    void close_interruptsAPumpThatDoesNotFinish_withinItsGracePeriod() throws InterruptedException {
        RetainedStoreGrpcService service = new RetainedStoreGrpcService();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        service.pumps().execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // a pump stuck on a cursor
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        service.close(Duration.ofMillis(100));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the stuck pump was interrupted").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> service.pumps().isTerminated());
    }
}
