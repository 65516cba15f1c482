package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallWindowTest {

    @Test
    void burstBeyondTheLimit_waitsInArrivalOrderAndStartsAsCallsFinish() {
        CallWindow window = new CallWindow(2);
        List<Integer> started = new ArrayList<>();
        List<Runnable> finishers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int call = i;
            window.submit(finished -> {
                started.add(call);
                finishers.add(finished);
            });
        }
        assertThat(started).as("only the limit is in flight").containsExactly(0, 1);
        assertThat(window.waiting()).isEqualTo(3);

        finishers.get(0).run();
        finishers.get(0).run(); // a second run of the same callback frees nothing more
        assertThat(started).containsExactly(0, 1, 2);
        assertThat(window.inFlight()).isEqualTo(2);

        finishers.get(1).run();
        finishers.get(2).run();
        assertThat(started).as("in arrival order").containsExactly(0, 1, 2, 3, 4);
        finishers.get(3).run();
        finishers.get(4).run();
        assertThat(window.inFlight()).isZero();
        assertThat(window.waiting()).isZero();
    }

    @Test
    void concurrentSubmitAndFinish_neverExceedTheLimitAndRunEveryCall() throws Exception {
        CallWindow window = new CallWindow(8);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int calls = 20_000;
        CountDownLatch all = new CountDownLatch(calls);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < calls; i++) {
                pool.execute(() -> window.submit(finished -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    pool.execute(() -> {
                        running.decrementAndGet();
                        finished.run();
                        all.countDown();
                    });
                }));
            }
            assertThat(all.await(60, TimeUnit.SECONDS)).as("every call ran").isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).as("never more than the limit at once").isLessThanOrEqualTo(8);
        assertThat(window.inFlight()).isZero();
    }

    @Test
    void limitBelowOne_isRefused() {
        assertThatThrownBy(() -> new CallWindow(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
