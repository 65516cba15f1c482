package dev.mqttsuite.it.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A retained-store-service on its own data directory and one broker that keeps its retained messages there, both as
 * processes on 127.0.0.1: the setting of the store's crash tests (kill -9 of the store, restart on the same data
 * directory and port, damaged log tails). Logs go to {@code target/it-logs/<name>-store.log} and {@code -broker.log}.
 */
public final class RetainedStack implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "it-password";
    /** Where {@link ServiceProcess} writes the processes' output. */
    private static final Path LOGS = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
            .resolve("integration-tests/target/it-logs");

    private final String name;
    private final Path dataDir;
    private final ServiceProcess store;
    private final ServiceProcess broker;
    private final int mqttPort = ServiceProcess.freePort();

    private RetainedStack(String name, Path dataDir) {
        this.name = name;
        this.dataDir = dataDir;
        this.store = new ServiceProcess(name + "-store", "retained-store-service")
                .env("RETAINED_DATA_DIR", dataDir.toString())
                .env("RETAINED_ADMIN_PASSWORD", ADMIN_PASSWORD);
        this.broker = broker(name + "-broker", mqttPort, store.grpcPort());
    }

    /** An open broker (anonymous clients) on 127.0.0.1 that keeps retained messages in the store on {@code storePort}. */
    public static ServiceProcess broker(String name, int mqttPort, int storePort) {
        return new ServiceProcess(name, "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqttPort))
                .env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                .env("BROKER_RETAINED_BACKEND", "service")
                .env("BROKER_RETAINED_TIMEOUT", "5s") // the first put opens the mutual-TLS channel: slow on a loaded CI machine
                .env("QUARKUS_GRPC_CLIENTS_RETAINED_HOST", "127.0.0.1")
                .env("QUARKUS_GRPC_CLIENTS_RETAINED_PORT", Integer.toString(storePort));
    }

    /** Starts the store on a new temporary data directory, then the broker. */
    public static RetainedStack start(String name) {
        RetainedStack stack;
        try {
            stack = new RetainedStack(name, Files.createTempDirectory("it-" + name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        stack.store.start();
        stack.broker.start();
        return stack;
    }

    public ServiceProcess store() {
        return store;
    }

    public ServiceProcess broker() {
        return broker;
    }

    /** The store's append-only log. */
    public Path storeLog() {
        return dataDir.resolve("retained.log");
    }

    /** What the store process has logged so far (all of its runs). */
    public String storeOutput() {
        try {
            return Files.readString(LOGS.resolve(name + "-store.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connected MQTT 5 client of the broker. */
    public Mqtt5BlockingClient client(String identifier) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(identifier)
                .serverHost("127.0.0.1").serverPort(mqttPort).buildBlocking();
        client.connect();
        return client;
    }

    /**
     * Receives until {@code expected} distinct topics arrived or {@code within} passed; every arrival is counted, so
     * a message delivered twice shows up as {@code arrivals > topics}.
     */
    public static Received receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, int expected, Duration within)
            throws InterruptedException {
        Map<String, String> payloads = new HashMap<>();
        int arrivals = 0;
        long deadline = System.nanoTime() + within.toNanos();
        while (payloads.size() < expected) {
            long wait = deadline - System.nanoTime();
            Optional<Mqtt5Publish> next = wait <= 0 ? Optional.empty()
                    : publishes.receive(wait, TimeUnit.NANOSECONDS);
            if (next.isEmpty()) {
                break;
            }
            arrivals++;
            payloads.put(next.get().getTopic().toString(),
                    new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        return new Received(payloads, arrivals);
    }

    /** Retained messages received: payload by topic, and how many PUBLISHes carried them. */
    public record Received(Map<String, String> payloads, int arrivals) {
    }

    @Override
    public void close() {
        Closer.closeAll(broker, store);
    }
}
