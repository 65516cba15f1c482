package dev.mqttsuite.it.cluster;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * N broker processes on 127.0.0.1 forming one cluster (broker.cluster.enabled=true, anonymous clients, no $SYS), with
 * the MQTT 5 clients a test connects to them; closing disconnects the clients and stops the brokers.
 */
final class BrokerClusterProcesses implements AutoCloseable {

    static final Duration SETTLE = Duration.ofSeconds(30);

    private final List<ServiceProcess> brokers = new ArrayList<>();
    private final List<Integer> mqttPorts = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    /** Starts {@code size} brokers and waits until each sees all members and has a stream to every peer. */
    BrokerClusterProcesses(int size) {
        List<Integer> hazelcastPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            hazelcastPorts.add(ServiceProcess.freePort());
            mqttPorts.add(ServiceProcess.freePort());
        }
        String members = hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            brokers.add(new ServiceProcess("cluster-broker-" + (i + 1), "broker-service")
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
                    .env("BROKER_CLUSTER_FAILURE_TIMEOUT", "5s"));
        }
        brokers.get(0).start(); // the first forms the cluster; the others join it in parallel
        CompletableFuture.allOf(brokers.subList(1, size).stream()
                .map(b -> CompletableFuture.runAsync(b::start)).toArray(CompletableFuture[]::new)).join();
        for (ServiceProcess broker : brokers) {
            await("cluster of " + size).atMost(SETTLE)
                    .until(() -> Http.metric(broker.httpPort(), "mqtt_cluster_members") == size
                            && Http.metric(broker.httpPort(), "mqtt_cluster_peers_connected") == size - 1);
        }
    }

    /** A connected MQTT 5 client of broker {@code node} (1-based). */
    Mqtt5BlockingClient connect(int node, String id) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(mqttPorts.get(node - 1)).buildBlocking();
        client.connect();
        clients.add(client);
        return client;
    }

    /** The HTTP port (metrics) of broker {@code node} (1-based). */
    int http(int node) {
        return brokers.get(node - 1).httpPort();
    }

    /** SIGKILL of broker {@code node} (1-based). */
    void kill(int node) {
        brokers.get(node - 1).kill();
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
