package dev.mqttsuite.broker.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The publishers one session has paused because its queue passed the high watermark, and the tasks waiting for the
 * queue to fall to the low watermark (retained-message streams). Guarded by the owning session's lock.
 */
final class PausedPublishers {

    private final Set<SessionListener> paused = new HashSet<>();
    private final List<Runnable> whenLow = new ArrayList<>();

    /** Pauses {@code publisher} unless it is already paused; returns whether it was paused now. */
    boolean pause(SessionListener publisher) {
        if (paused.add(publisher)) {
            publisher.pauseReading();
            return true;
        }
        return false;
    }

    /** Resumes every paused publisher (queue drained, session detached or ended). */
    void resumeAll() {
        if (paused.isEmpty()) {
            return;
        }
        for (SessionListener publisher : paused) {
            publisher.resumeReading();
        }
        paused.clear();
    }

    void whenLow(Runnable task) {
        whenLow.add(task);
    }

    /** The queue is low: paused publishers resume, waiting tasks run on {@code loop}'s event loop. */
    void queueLow(SessionListener loop) {
        resumeAll();
        if (!whenLow.isEmpty()) {
            List<Runnable> ready = new ArrayList<>(whenLow);
            whenLow.clear();
            ready.forEach(loop::runOnLoop);
        }
    }
}
