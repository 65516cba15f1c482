package dev.mqttsuite.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.Listen;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three broker processes on 127.0.0.1 forming one cluster (broker.cluster.enabled=true): a message published on one
 * broker reaches the subscribers on the others at QoS 0, 1 and 2, each exactly once and in publish order, and it
 * crosses to each broker once however many subscribers it has there; a broker killed with SIGKILL has its routes
 * removed by the survivors, which keep serving each other.
 */
@Timeout(180)
class ClusterRoutingIT {

    private static final int MESSAGES = 100;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final List<ServiceProcess> brokers = new ArrayList<>();
    private final List<Integer> mqttPorts = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : clients) {
            try {
                client.disconnect();
            } catch (RuntimeException alreadyGone) {
                // its broker was killed
            }
        }
        brokers.forEach(ServiceProcess::stop);
    }

    private void startCluster(int size) {
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

    private Mqtt5BlockingClient connect(int node, String id) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(mqttPorts.get(node - 1)).buildBlocking();
        client.connect();
        clients.add(client);
        return client;
    }

    private int http(int node) {
        return brokers.get(node - 1).httpPort();
    }

    private static List<String> receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, int count) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<Mqtt5Publish> next = publishes.receive(20, TimeUnit.SECONDS);
            assertThat(next).as("message %d of %d", i + 1, count).isPresent();
            got.add(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).as("nothing beyond: each message once").isEmpty();
        return got;
    }

    /**
     * Each message exactly once, and in publish order within each QoS: MQTT orders a publisher's messages per topic
     * and QoS [MQTT-4.6.0-6]; the HiveMQ client itself may send a QoS 0 message after a later QoS 1 one.
     */
    private static void assertOncePerQosInOrder(String where, List<String> received, List<String> expected) {
        assertThat(received).as("%s: each message exactly once", where)
                .containsExactlyInAnyOrderElementsOf(expected);
        for (int qos = 0; qos < 3; qos++) {
            String prefix = "qos" + qos + "-";
            assertThat(received.stream().filter(p -> p.startsWith(prefix)).toList())
                    .as("%s: QoS %d in publish order", where, qos)
                    .containsExactlyElementsOf(expected.stream().filter(p -> p.startsWith(prefix)).toList());
        }
    }

    @Test
    void givenThreeBrokers_whenPublishingOnOne_thenSubscribersOnTheOthersGetEachMessageOnceInOrder_andADeadBrokersRoutesGo()
            throws Exception {
        startCluster(3);
        Mqtt5BlockingClient sub2 = connect(2, "sub-on-2");
        Mqtt5BlockingClient.Mqtt5Publishes in2 = Listen.listen(sub2);
        sub2.subscribeWith().topicFilter("orders/#").qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt5BlockingClient sub3a = connect(3, "sub-on-3a");
        Mqtt5BlockingClient.Mqtt5Publishes in3a = Listen.listen(sub3a);
        sub3a.subscribeWith().topicFilter("orders/+").qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt5BlockingClient sub3b = connect(3, "sub-on-3b");
        Mqtt5BlockingClient.Mqtt5Publishes in3b = Listen.listen(sub3b);
        sub3b.subscribeWith().topicFilter("orders/#").qos(MqttQos.EXACTLY_ONCE).send();
        await("broker 1 learnt the 3 routes (one per broker and filter)").atMost(SETTLE)
                .until(() -> Http.metric(http(1), "mqtt_cluster_routes_remote") == 3);

        Mqtt5BlockingClient sub1 = connect(1, "sub-on-1");
        Mqtt5BlockingClient.Mqtt5Publishes in1 = Listen.listen(sub1);
        sub1.subscribeWith().topicFilter("orders/#").qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt5BlockingClient publisher = connect(1, "publisher-on-1");
        List<String> expected = new ArrayList<>();
        for (MqttQos qos : MqttQos.values()) {
            for (int i = 0; i < MESSAGES; i++) {
                String payload = "qos" + qos.getCode() + "-" + i;
                expected.add(payload);
                publisher.publishWith().topic("orders/eu").qos(qos).payload(payload.getBytes(StandardCharsets.UTF_8))
                        .send();
            }
        }

        assertOncePerQosInOrder("broker 1 (local, for reference)", receive(in1, expected.size()), expected);
        assertOncePerQosInOrder("broker 2", receive(in2, expected.size()), expected);
        assertOncePerQosInOrder("broker 3, first subscriber", receive(in3a, expected.size()), expected);
        assertOncePerQosInOrder("broker 3, second subscriber", receive(in3b, expected.size()), expected);
        assertThat(Http.metric(http(3), "mqtt_cluster_received_messages_total"))
                .as("a message crosses to a broker once, not once per subscriber there").isEqualTo(expected.size());
        assertThat(Http.metric(http(1), "mqtt_cluster_forward_dropped_total", "peer=\"broker-2\"")).isZero();

        brokers.get(2).kill(); // SIGKILL: no goodbye, the survivors notice through Hazelcast
        await("survivors removed broker 3 and its routes").atMost(SETTLE)
                .until(() -> Http.metric(http(1), "mqtt_cluster_members") == 2
                        && Http.metric(http(1), "mqtt_cluster_routes_remote") == 1
                        && Http.metric(http(2), "mqtt_cluster_members") == 2);
        List<String> after = IntStream.range(0, 10).mapToObj(i -> "after-" + i).toList();
        for (String payload : after) {
            publisher.publishWith().topic("orders/us").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send(); // PUBACK: not held by the dead broker
        }
        assertThat(receive(in2, after.size())).as("the survivors keep serving each other")
                .containsExactlyElementsOf(after);
        assertThat(Http.metric(http(1), "mqtt_cluster_forward_queued", "peer=\"broker-3\""))
                .as("the dead peer's meters and queue are gone").isZero();
    }
}
