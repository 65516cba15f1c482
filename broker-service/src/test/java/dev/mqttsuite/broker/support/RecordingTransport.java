package dev.mqttsuite.broker.support;

import dev.mqttsuite.broker.connection.Transport;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Transport} for unit tests of handlers without Netty: records every packet written, runs tasks handed to
 * the "event loop" when the test calls {@link #runPending}, and records the close. Single-threaded.
 */
public final class RecordingTransport implements Transport {

    private final List<MqttMessage> written = new ArrayList<>();
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private boolean closed;
    private boolean paused;
    private boolean writable = true;
    private int keepAliveSeconds = -1;

    public List<MqttMessage> written() {
        return written;
    }

    /** The packets written of one type, in order. */
    public List<MqttMessage> written(MqttMessageType type) {
        return written.stream().filter(m -> m.fixedHeader().messageType() == type).toList();
    }

    public MqttMessage last() {
        return written.isEmpty() ? null : written.get(written.size() - 1);
    }

    /** Runs the tasks handed to {@link #execute} (and those they hand on) until none is left. */
    public void runPending() {
        Runnable task;
        while ((task = pending.poll()) != null) {
            task.run();
        }
    }

    /** Runs the scheduled timers now, as if their delay had passed. */
    public void fireTimers() {
        List<Runnable> due = new ArrayList<>(scheduled);
        scheduled.clear();
        due.forEach(Runnable::run);
    }

    public boolean closed() {
        return closed;
    }

    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public void writable(boolean value) {
        writable = value;
    }

    @Override
    public void write(MqttMessage message) {
        written.add(message);
    }

    @Override
    public void writeAndFlush(MqttMessage message) {
        written.add(message);
    }

    @Override
    public void flushIfNeeded() {
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void execute(Runnable task) {
        pending.add(task);
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        scheduled.add(task);
        return new ScheduledFuture<Object>() {
            private boolean cancelled;

            @Override
            public long getDelay(TimeUnit u) {
                return u.convert(delay, unit);
            }

            @Override
            public int compareTo(Delayed o) {
                return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
            }

            @Override
            public boolean cancel(boolean mayInterrupt) {
                cancelled = scheduled.remove(task);
                return cancelled;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public boolean isDone() {
                return cancelled || !scheduled.contains(task);
            }

            @Override
            public Object get() {
                return null;
            }

            @Override
            public Object get(long timeout, TimeUnit u) {
                return null;
            }
        };
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
    }

    @Override
    public boolean readingPaused() {
        return paused;
    }

    @Override
    public void keepAlive(int seconds) {
        keepAliveSeconds = seconds;
    }
}
