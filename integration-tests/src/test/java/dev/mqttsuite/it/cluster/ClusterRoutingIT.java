package dev.mqttsuite.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.Listen;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three broker processes on 127.0.0.1 forming one cluster (broker.cluster.enabled=true): a message published on one
 * broker reaches the subscribers on the others at QoS 0, 1 and 2, each exactly once and in publish order, and it
 * crosses to each broker once however many subscribers it has there; a broker killed with SIGKILL has its routes
 * removed by the survivors, which keep serving each other. Each broker publishes the cluster-wide figures under
 * {@code $SYS/cluster/...}, and a dead broker's drop out of them.
 */
@Timeout(180)
class ClusterRoutingIT {

    private static final int MESSAGES = 100;
    private static final Duration SETTLE = ClusterNodes.SETTLE;

    private ClusterNodes cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Mqtt5BlockingClient connect(int node, String id) {
        return cluster.connect(node, id);
    }

    private int http(int node) {
        return cluster.http(node);
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
        cluster = new ClusterNodes(3);
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

        cluster.kill(3); // SIGKILL: no goodbye, the survivors notice through Hazelcast
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

    /** The latest $SYS figures a watcher received, by topic, and how many rounds (one per interval and broker). */
    private record SysWatch(Mqtt5BlockingClient.Mqtt5Publishes publishes, Map<String, String> latest,
            AtomicInteger rounds) {

        SysWatch(Mqtt5BlockingClient.Mqtt5Publishes publishes) {
            this(publishes, new ConcurrentHashMap<>(), new AtomicInteger());
        }

        /** Reads what arrived until {@code done} holds of the latest figures. */
        void until(String what, Predicate<Map<String, String>> done) {
            org.awaitility.Awaitility.await(what).atMost(SETTLE).until(() -> {
                Optional<Mqtt5Publish> next;
                while ((next = publishes.receive(100, TimeUnit.MILLISECONDS)).isPresent()) {
                    String topic = next.get().getTopic().toString();
                    latest.put(topic, new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                    if (topic.equals("$SYS/cluster/members")) { // the first topic of a round
                        rounds.incrementAndGet();
                    }
                }
                return done.test(latest);
            });
        }

        /** Forgets what was received: what arrives next is figures published from now on. */
        void clear() {
            latest.clear();
            rounds.set(0);
        }
    }

    @Test
    void givenThreeBrokers_thenASysClusterWatcherOnOneSeesTheClientsOfAll_andADeadBrokersFiguresDropOut() {
        cluster = new ClusterNodes(3, Map.of("BROKER_SYS_INTERVAL", "1s"));
        Mqtt5BlockingClient watcher = connect(1, "sys-watcher-on-1");
        SysWatch sys = new SysWatch(Listen.listen(watcher));
        watcher.subscribeWith().topicFilter("$SYS/cluster/#").send();
        connect(2, "client-on-2a");
        connect(2, "client-on-2b");
        connect(3, "client-on-3");

        sys.until("broker 1 publishes the connections of all three brokers", latest ->
                "4".equals(latest.get("$SYS/cluster/clients/connected"))
                        && "2".equals(latest.get("$SYS/cluster/nodes/broker-2/clients/connected"))
                        && "1".equals(latest.get("$SYS/cluster/nodes/broker-3/clients/connected")));
        assertThat(sys.latest()).containsEntry("$SYS/cluster/members", "3")
                .containsEntry("$SYS/cluster/nodes/broker-1/clients/connected", "1")
                .containsKeys("$SYS/cluster/clients/total", "$SYS/cluster/subscriptions/count",
                        "$SYS/cluster/messages/received", "$SYS/cluster/messages/sent");

        cluster.kill(3);
        sys.until("broker 1 counts two members", latest -> "2".equals(latest.get("$SYS/cluster/members")));
        sys.clear();
        sys.until("a whole round published after broker 3 was dropped", latest -> sys.rounds().get() >= 2);
        assertThat(sys.latest()).as("the dead broker's figures are gone").containsEntry("$SYS/cluster/members", "2")
                .containsEntry("$SYS/cluster/clients/connected", "3")
                .containsEntry("$SYS/cluster/nodes/broker-2/clients/connected", "2")
                .doesNotContainKey("$SYS/cluster/nodes/broker-3/clients/connected");
    }
}
