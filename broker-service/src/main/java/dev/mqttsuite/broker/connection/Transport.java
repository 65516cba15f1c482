package dev.mqttsuite.broker.connection;

import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The socket under one MQTT connection, as the protocol layer sees it: ordered packet writes, one event loop, flow
 * control and the close. Implemented by the Netty transport ({@code transport.NettyTransport}); tests use a recording
 * implementation. Every method but {@link #execute} and {@link #resumeReading} must be called on the loop.
 */
public interface Transport {

    /** Writes without flushing; the transport flushes once per read batch or drain. */
    void write(MqttMessage message);

    /** Writes and flushes at once (CONNACK, DISCONNECT). */
    void writeAndFlush(MqttMessage message);

    /** Flushes what {@link #write} buffered, if anything. */
    void flushIfNeeded();

    /** Whether the socket is still open. */
    boolean isActive();

    /** Whether the socket's outbound buffer is below its high water mark. */
    boolean isWritable();

    /**
     * Ends the connection so that the peer reads everything written before: stops processing input, flushes,
     * half-closes the output and closes after a bounded linger (or as soon as the peer closes). Idempotent.
     */
    void close();

    /** Runs the task later on the connection's event loop (never inline), flushing afterwards. */
    void execute(Runnable task);

    boolean inEventLoop();

    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

    /** Stops reading from the socket (publisher back-pressure). */
    void pauseReading();

    /** Resumes reading; any thread. */
    void resumeReading();

    /** Whether reading is paused by back-pressure. */
    boolean readingPaused();

    /** Replaces the read-idle timeout: one and a half times the keep alive [MQTT-3.1.2-22], or none for 0. */
    void keepAlive(int seconds);
}
