package dev.mqttsuite.retained.store;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Ends an executor at shutdown: no new tasks, running ones get a bounded grace period, then they are interrupted. */
public final class ExecutorShutdown {

    private ExecutorShutdown() {
    }

    public static void close(ExecutorService executor, Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
