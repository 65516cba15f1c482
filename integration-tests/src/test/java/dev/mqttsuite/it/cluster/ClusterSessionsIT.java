package dev.mqttsuite.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.Listen;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions across three broker processes (docs/adr/0011-broker-cluster-routing.md, "Sessions (phase 2a)"): one
 * owner per client id cluster-wide. A persistent session moves with its client to another broker with its queued
 * messages; a second connection with the same client id elsewhere takes the session over (the first gets DISCONNECT
 * 0x8E); a broker frozen with SIGSTOP beyond the failure timeout, whose client went elsewhere meanwhile, drops its
 * stale copy when it comes back instead of serving a second owner. The cluster runs with split-brain protection
 * (expected-members=3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ClusterSessionsIT {

    private static final Duration RECEIVE = Duration.ofSeconds(20);

    private ClusterNodes cluster;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        cluster = new ClusterNodes(3, Map.of("BROKER_CLUSTER_EXPECTED_MEMBERS", "3"));
    }

    @AfterEach
    void disconnectClients() {
        for (Mqtt5BlockingClient client : clients) {
            try {
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            } catch (RuntimeException alreadyGone) {
                // closed by the broker
            }
        }
        clients.clear();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.broker(1).resume(); // in case the SIGSTOP test failed half-way
            cluster.close();
        }
    }

    private Mqtt5BlockingClient client(int node, String id, AtomicReference<Throwable> disconnected) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(cluster.mqttPort(node)).addDisconnectedListener(context -> {
                    if (disconnected != null && context.getSource() == MqttDisconnectSource.SERVER) {
                        disconnected.set(context.getCause());
                    }
                }).buildBlocking();
        clients.add(client);
        return client;
    }

    private static Mqtt5ConnAck connectPersistent(Mqtt5BlockingClient client, boolean cleanStart) {
        return client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(3600).keepAlive(600).send();
    }

    private Mqtt5BlockingClient publisher(int node, String id) {
        Mqtt5BlockingClient publisher = client(node, id, null);
        publisher.connect();
        return publisher;
    }

    private static void publish(Mqtt5BlockingClient publisher, String topic, List<String> payloads) {
        for (String payload : payloads) {
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send(); // PUBACK: queued where the session is
        }
    }

    private static List<String> receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, int count) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<Mqtt5Publish> next = publishes.receive(RECEIVE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("message %d of %d", i + 1, count).isPresent();
            got.add(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).as("nothing beyond: each message once").isEmpty();
        return got;
    }

    private static List<String> payloads(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @Test
    @Order(1)
    void givenQueuedMessagesOnNode1_whenTheClientReconnectsOnNode2_thenSessionPresentAndAllQueued() throws Exception {
        Mqtt5BlockingClient first = client(1, "mover", null);
        connectPersistent(first, true);
        first.subscribeWith().topicFilter("moves/#").qos(MqttQos.AT_LEAST_ONCE).send();
        await("node 3 routes moves/# to node 1").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(3), "mqtt_cluster_routes_remote") >= 1);
        first.disconnect();
        List<String> queued = payloads("queued-", 20);
        publish(publisher(3, "mover-publisher"), "moves/a", queued);

        Mqtt5BlockingClient again = client(2, "mover", null);
        Mqtt5BlockingClient.Mqtt5Publishes in = again.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5ConnAck connAck = connectPersistent(again, false);

        assertThat(connAck.isSessionPresent()).as("the session moved from node 1 [MQTT-3.2.2-3]").isTrue();
        assertThat(receive(in, queued.size())).as("every message queued on node 1, once, in order")
                .containsExactlyElementsOf(queued);
        List<String> later = payloads("later-", 5);
        publish(publisher(1, "mover-publisher-2"), "moves/b", later);
        assertThat(receive(in, later.size())).as("its subscription lives on node 2 now")
                .containsExactlyElementsOf(later);
    }

    @Test
    @Order(2)
    void givenClientConnectedOnNode1_whenTheSameClientIdConnectsOnNode3_thenNode1SendsDisconnect0x8E() {
        AtomicReference<Throwable> kicked = new AtomicReference<>();
        Mqtt5BlockingClient first = client(1, "twin", kicked);
        connectPersistent(first, true);

        Mqtt5BlockingClient second = client(3, "twin", null);
        Mqtt5ConnAck connAck = connectPersistent(second, false);

        assertThat(connAck.isSessionPresent()).isTrue();
        await("the node-1 connection is taken over [MQTT-3.1.4-3]").atMost(ClusterNodes.SETTLE)
                .until(() -> kicked.get() != null);
        assertThat(kicked.get()).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) kicked.get()).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(second.getState().isConnected()).isTrue();
    }

    @Test
    @Order(3)
    void givenNode1FrozenBeyondTheFailureTimeout_whenItsClientMovedAndNode1Resumes_thenNode1DropsItsCopy()
            throws Exception {
        AtomicReference<Throwable> dropped = new AtomicReference<>();
        Mqtt5BlockingClient stale = client(1, "frozen", dropped);
        Mqtt5BlockingClient.Mqtt5Publishes staleIn = Listen.listen(stale);
        connectPersistent(stale, true);
        stale.subscribeWith().topicFilter("frozen/#").qos(MqttQos.AT_LEAST_ONCE).send();

        cluster.broker(1).pause();
        try {
            cluster.awaitMembers(2, 2);
            cluster.awaitMembers(3, 2);
            Mqtt5BlockingClient moved = client(2, "frozen", null);
            Mqtt5BlockingClient.Mqtt5Publishes in = moved.publishes(MqttGlobalPublishFilter.ALL);
            Mqtt5ConnAck connAck = connectPersistent(moved, false);
            assertThat(connAck.isSessionPresent())
                    .as("its owner was unreachable: resumed from the replica (phase 2b) [MQTT-3.2.2-3]").isTrue();
            moved.subscribeWith().topicFilter("frozen/#").qos(MqttQos.AT_LEAST_ONCE).send();

            cluster.broker(1).resume();
            await("node 1 closes the connection it no longer owns").atMost(Duration.ofSeconds(90))
                    .until(() -> dropped.get() != null);
            cluster.awaitMembers(1, 3);
            cluster.awaitMembers(2, 3);

            List<String> after = payloads("after-", 10);
            publish(publisher(3, "frozen-publisher"), "frozen/x", after);
            assertThat(receive(in, after.size())).as("the one owner gets each message once")
                    .containsExactlyElementsOf(after);
            assertThat(staleIn.receive(200, TimeUnit.MILLISECONDS)).as("the stale connection got none of them")
                    .isEmpty();
        } finally {
            cluster.broker(1).resume();
        }
    }
}
