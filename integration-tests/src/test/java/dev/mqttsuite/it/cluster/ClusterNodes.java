package dev.mqttsuite.it.cluster;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Broker processes on 127.0.0.1 forming one cluster (broker.cluster.enabled=true, anonymous clients, no $SYS, random
 * ports), with the MQTT 5 clients a test connects through {@link #connect}: node numbers are 1-based, as in the
 * brokers' node ids. Closing disconnects those clients and stops the brokers.
 */
final class ClusterNodes implements AutoCloseable {

    static final Duration SETTLE = Duration.ofSeconds(30);

    private final List<ServiceProcess> brokers = new ArrayList<>();
    private final List<Integer> mqttPorts = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    /** Starts {@code size} brokers with the default settings. */
    ClusterNodes(int size) {
        this(size, Map.of());
    }

    /** Starts {@code size} brokers with the extra environment and waits until each sees all and streams to all. */
    ClusterNodes(int size, Map<String, String> extra) {
        List<Integer> hazelcastPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            hazelcastPorts.add(ServiceProcess.freePort());
            mqttPorts.add(ServiceProcess.freePort());
        }
        String members = hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            ServiceProcess broker = new ServiceProcess("cluster-broker-" + (i + 1), "broker-service")
                    .env("BROKER_MQTT_PORT", Integer.toString(mqttPorts.get(i)))
                    .env("BROKER_MQTT_HOST", "127.0.0.1")
                    .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                    .env("BROKER_SYS_INTERVAL", "0s")
                    .env("BROKER_CLUSTER_ENABLED", "true")
                    .env("BROKER_CLUSTER_NAME", "it-" + ProcessHandle.current().pid())
                    .env("BROKER_CLUSTER_NODE_ID", "broker-" + (i + 1))
                    .env("BROKER_CLUSTER_HOST", "127.0.0.1")
                    .env("BROKER_CLUSTER_PORT", Integer.toString(hazelcastPorts.get(i)))
                    .env("BROKER_CLUSTER_GRPC_PORT", Integer.toString(ServiceProcess.freePort()))
                    .env("BROKER_CLUSTER_MEMBERS", members)
                    .env("BROKER_CLUSTER_JOIN_TIMEOUT", "2s")
                    .env("BROKER_CLUSTER_FAILURE_TIMEOUT", "5s");
            extra.forEach(broker::env);
            brokers.add(broker);
        }
        try {
            brokers.get(0).start(); // the first forms the cluster; the others join it in parallel
            CompletableFuture.allOf(brokers.subList(1, size).stream()
                    .map(b -> CompletableFuture.runAsync(b::start)).toArray(CompletableFuture[]::new)).join();
            for (int node = 1; node <= size; node++) {
                awaitMembers(node, size);
                int http = http(node);
                await("node " + node + " streams to every peer").atMost(SETTLE)
                        .until(() -> Http.metric(http, "mqtt_cluster_peers_connected") == size - 1);
            }
        } catch (RuntimeException | Error startFailed) {
            close(); // the test never gets this object: the brokers that did start must not outlive it
            throw startFailed;
        }
    }

    /** Waits until {@code node} counts {@code count} members, itself included. */
    void awaitMembers(int node, int count) {
        int http = http(node);
        await("node " + node + " sees " + count + " members").atMost(SETTLE)
                .until(() -> Http.metric(http, "mqtt_cluster_members") == count);
    }

    /** A connected MQTT 5 client of broker {@code node}, disconnected at {@link #close}. */
    Mqtt5BlockingClient connect(int node, String id) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(mqttPort(node)).buildBlocking();
        client.connect();
        clients.add(client);
        return client;
    }

    /** SIGKILL of broker {@code node}. */
    void kill(int node) {
        broker(node).kill();
    }

    ServiceProcess broker(int node) {
        return brokers.get(node - 1);
    }

    int mqttPort(int node) {
        return mqttPorts.get(node - 1);
    }

    int http(int node) {
        return brokers.get(node - 1).httpPort();
    }

    @Override
    public void close() {
        for (Mqtt5BlockingClient client : clients) {
            try {
                client.disconnect();
            } catch (RuntimeException alreadyGone) {
                // its broker was killed
            }
        }
        brokers.forEach(ServiceProcess::stop);
    }
}
