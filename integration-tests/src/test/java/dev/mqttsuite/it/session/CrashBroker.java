package dev.mqttsuite.it.session;

import dev.mqttsuite.it.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A broker process with {@code broker.session.persistence=file} on a fixed data directory and MQTT port, so that it
 * can be killed with SIGKILL and started again on the same data, as after a crash. Anonymous access, 127.0.0.1.
 */
final class CrashBroker implements AutoCloseable {

    private final Path data;
    private final int port = ServiceProcess.freePort();
    private final ServiceProcess process;

    CrashBroker(String name, Path data, Map<String, String> settings) {
        this.data = data;
        process = new ServiceProcess(name, "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(port))
                .env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                .env("BROKER_SESSION_PERSISTENCE", "file")
                .env("BROKER_SESSION_DATA_DIR", data.toString());
        settings.forEach(process::env);
    }

    int port() {
        return port;
    }

    /** Starts the broker (again) on the same data and port; returns when it is ready. */
    CrashBroker start() {
        process.start();
        return this;
    }

    /** SIGKILL: no shutdown hook, no snapshot, no flush. */
    void kill() {
        process.kill();
    }

    /** Where its output is now: pass to {@link #logSince(long)} after a restart. */
    long logMark() {
        try {
            return Files.exists(process.logFile()) ? Files.size(process.logFile()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's output written after {@code mark}. */
    String logSince(long mark) {
        try {
            byte[] all = Files.readAllBytes(process.logFile());
            return new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest segment of the session log. */
    Path newestSegment() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("session-log"))) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\d+\\.log")).sorted()
                    .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no segment in " + data));
        }
    }

    @Override
    public void close() {
        process.stop();
    }
}
