package dev.mqttsuite.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto (Debian's {@code mosquitto} package) on 127.0.0.1 and a free port, with persistence in a temp
 * directory so that sessions and queued QoS 1 messages survive {@link #stop()} + {@link #start()}. Missing
 * Mosquitto skips the test, unless {@code MQTT_SUITE_REQUIRE_INTEROP=true} (CI), where it fails it.
 */
public final class MosquittoProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port = ServiceProcess.freePort();
    private final Path dir;
    private Process process;

    public MosquittoProcess() {
        this("");
    }

    /** With extra configuration lines (e.g. a TLS listener; then set {@code per_listener_settings}). */
    public MosquittoProcess(String extraConfig) {
        boolean present = Files.isExecutable(BINARY);
        if ("true".equals(System.getenv("MQTT_SUITE_REQUIRE_INTEROP"))) {
            assertThat(present).as("mosquitto is required in CI (MQTT_SUITE_REQUIRE_INTEROP=true)").isTrue();
        }
        assumeTrue(present, "mosquitto not installed: skipping (apt-get install mosquitto)");
        try {
            dir = Files.createTempDirectory("it-mosquitto");
            // started as root, Mosquitto drops to the user "mosquitto", which must be able to save its database here
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence true",
                    "persistence_location " + dir + "/",
                    "autosave_interval 1",
                    "max_queued_messages 100000",
                    "log_dest stderr",
                    "log_type error", "log_type warning", "log_type notice", "log_type information",
                    extraConfig, ""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The directory of its configuration and database (readable by the user Mosquitto runs as). */
    public Path dir() {
        return dir;
    }

    public MosquittoProcess start() {
        try {
            Path logs = Path.of("target/it-logs");
            Files.createDirectories(logs);
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("mosquitto-" + port + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto", e);
        }
        org.awaitility.Awaitility.await("mosquitto listening").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(this::listening);
        return this;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited with " + process.exitValue());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM: Mosquitto saves its sessions and queued messages before it exits. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
