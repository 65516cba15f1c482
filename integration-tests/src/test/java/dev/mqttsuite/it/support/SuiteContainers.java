package dev.mqttsuite.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The suite's images as Testcontainers containers on the host network (the only network here: no bridge networks,
 * see ENVIRONMENT.md), each on its own free ports, logging to {@code target/it-logs/container-<name>.log}.
 *
 * <p>Docker and the images come from {@code .ci/run} (private dockerd, {@code scripts/build-images.sh}). Without
 * them the tests are skipped with the reason, unless {@code MQTT_SUITE_REQUIRE_DOCKER=true} (CI), where that fails.
 */
public final class SuiteContainers {

    public static final String VERSION = "latest";
    private static final List<String> IMAGES = List.of("mqtt-suite/broker-service", "mqtt-suite/auth-service",
            "mqtt-suite/retained-store-service", "mqtt-suite/bridge-service", "mqtt-suite-test/mosquitto");

    private SuiteContainers() {
    }

    /** Skips (or, in CI, fails) the calling test class when Docker or an image is missing. */
    public static void assumeDockerAndImages() {
        boolean required = "true".equals(System.getenv("MQTT_SUITE_REQUIRE_DOCKER"));
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (required) {
            assertThat(docker).as("Docker is required in CI (MQTT_SUITE_REQUIRE_DOCKER=true): DOCKER_HOST="
                    + System.getenv("DOCKER_HOST")).isTrue();
        }
        assumeTrue(docker, "Docker is not available: skipping the container tests (start one with"
                + " scripts/docker-daemon.sh start DIR, export DOCKER_HOST, TESTCONTAINERS_RYUK_DISABLED=true)");
        for (String image : IMAGES) {
            String name = image.endsWith("mosquitto") ? image + ":2" : image + ":" + VERSION;
            boolean present;
            try {
                DockerClientFactory.instance().client().inspectImageCmd(name).exec();
                present = true;
            } catch (RuntimeException e) {
                present = false;
            }
            if (required) {
                assertThat(present).as(name + " must be built first: scripts/build-images.sh").isTrue();
            }
            assumeTrue(present, name + " is not built: skipping (scripts/build-images.sh)");
        }
    }

    /** A service image on the host network, started once its log says Quarkus started. */
    @SuppressWarnings("resource")
    public static GenericContainer<?> service(String module, String name, int httpPort) {
        GenericContainer<?> container = new GenericContainer<>(
                DockerImageName.parse("mqtt-suite/" + module + ":" + VERSION))
                .withNetworkMode("host")
                .withEnv("QUARKUS_HTTP_PORT", Integer.toString(httpPort))
                .withEnv("QUARKUS_HTTP_HOST", "127.0.0.1")
                .withLogConsumer(logTo(name))
                .waitingFor(Wait.forLogMessage(".*started in .*", 1).withStartupTimeout(Duration.ofSeconds(90)));
        // the run's internal certificates, copied in read-only for the container's non-root user
        InternalCertificates.environment(module).forEach((key, value) -> {
            if (key.endsWith("_PLAINTEXT")) {
                container.withEnv(key, value);
            } else {
                String inside = "/tmp/tls/" + Path.of(value).getFileName();
                container.withCopyFileToContainer(org.testcontainers.utility.MountableFile.forHostPath(value, 0444),
                        inside).withEnv(key, inside);
            }
        });
        return container;
    }

    /** Debian's Mosquitto 2.0 on 127.0.0.1:{@code port}, anonymous. */
    @SuppressWarnings("resource")
    public static GenericContainer<?> mosquitto(int port) {
        String config = "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_dest stderr\n";
        return new GenericContainer<>(DockerImageName.parse("mqtt-suite-test/mosquitto:2"))
                .withNetworkMode("host")
                .withCopyToContainer(Transferable.of(config), "/tmp/mosquitto.conf")
                .withCommand("-c", "/tmp/mosquitto.conf")
                .withLogConsumer(logTo("mosquitto"))
                .waitingFor(Wait.forLogMessage(".*running.*", 1).withStartupTimeout(Duration.ofSeconds(30)));
    }

    private static java.util.function.Consumer<OutputFrame> logTo(String name) {
        Path file = Path.of("target/it-logs/container-" + name + ".log");
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame -> {
            try {
                Files.writeString(file, frame.getUtf8String(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // logging only
            }
        };
    }

    /** Restarts a container in place (SIGTERM, same container and volumes), as an orchestrator would. */
    public static void restart(GenericContainer<?> container) {
        DockerClientFactory.instance().client().restartContainerCmd(container.getContainerId()).withTimeout(20)
                .exec();
    }
}
