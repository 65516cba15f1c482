package dev.mqttsuite.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.Http;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A shared subscription across three broker processes (MQTT 5.0 section 4.8.2, issue 14): members of one group on
 * brokers 1, 2 and 3, a publisher on broker 1; each message reaches exactly one member cluster-wide and every broker
 * with members gets a share. After a SIGKILL of broker 3 the next messages still reach exactly one surviving member,
 * first while the survivors only saw its stream break, then after they removed it from the cluster. Messages a member
 * had not acknowledged when its broker was killed go to a member on another broker.
 */
@Timeout(150)
class SharedSubscriptionClusterIT {

    private static final String GROUP = "$share/workers/jobs/#";

    private ClusterNodes cluster;
    /** Every member's received payloads, by member (broker number in the name). */
    private final Map<String, Queue<String>> received = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void member(int node, String id) {
        member(node, id, false);
    }

    /** @param neverAcknowledges takes its messages and never acknowledges them (a slow consumer) */
    private void member(int node, String id, boolean neverAcknowledges) {
        Mqtt5BlockingClient client = cluster.connect(node, id);
        Queue<String> payloads = new ConcurrentLinkedQueue<>();
        received.put(id, payloads);
        client.toAsync().subscribeWith().topicFilter(GROUP).qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> payloads.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .manualAcknowledgement(neverAcknowledges)
                .send().join();
    }

    private static void publish(Mqtt5BlockingClient publisher, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            publisher.publishWith().topic("jobs/" + (i % 5)).qos(MqttQos.AT_LEAST_ONCE)
                    .payload((prefix + i).getBytes(StandardCharsets.UTF_8)).send(); // returns at the PUBACK
        }
    }

    private List<String> all() {
        List<String> all = new ArrayList<>();
        received.values().forEach(all::addAll);
        return all;
    }

    private Set<String> distinctWith(String prefix) {
        Set<String> distinct = new HashSet<>();
        for (String payload : all()) {
            if (payload.startsWith(prefix)) {
                distinct.add(payload);
            }
        }
        return distinct;
    }

    private int countOn(int node, String prefix) {
        return received.entrySet().stream().filter(e -> e.getKey().startsWith("member-" + node + "-"))
                .mapToInt(e -> (int) e.getValue().stream().filter(p -> p.startsWith(prefix)).count()).sum();
    }

    @Test
    void givenGroupMembersOnThreeBrokers_thenEachMessageReachesExactlyOneMember_andAfterAKillOneSurvivingMember()
            throws Exception {
        cluster = new ClusterNodes(3);
        member(1, "member-1-a");
        member(2, "member-2-a");
        member(2, "member-2-b");
        member(3, "member-3-a");
        member(3, "member-3-b");
        await("broker 1 knows the group's other brokers (one route per broker and group)")
                .atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_routes_remote") == 2);
        Mqtt5BlockingClient publisher = cluster.connect(1, "publisher-on-1");

        publish(publisher, "m", 300);
        await("all 300 delivered").atMost(ClusterNodes.SETTLE).until(() -> distinctWith("m").size() == 300);
        assertThat(all()).as("each message to exactly one member cluster-wide").hasSize(300);
        assertThat(countOn(2, "m")).as("broker 2 gets a share").isPositive();
        assertThat(countOn(3, "m")).as("broker 3 gets a share").isPositive();
        assertThat(Http.metric(cluster.http(2), "mqtt_cluster_received_messages_total")
                + Http.metric(cluster.http(3), "mqtt_cluster_received_messages_total")
                + countOn(1, "m")).as("a message goes to one broker only").isEqualTo(300);

        cluster.kill(3); // SIGKILL under the group
        await("broker 1 saw the stream to broker 3 break").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_peers_connected") == 1);
        publish(publisher, "broken", 100);
        await("the next 100 delivered to survivors").atMost(ClusterNodes.SETTLE)
                .until(() -> distinctWith("broken").size() == 100);

        await("broker 3 removed from the cluster").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_members") == 2
                        && Http.metric(cluster.http(1), "mqtt_cluster_routes_remote") == 1);
        publish(publisher, "left", 100);
        await("and the next 100 after it left").atMost(ClusterNodes.SETTLE)
                .until(() -> distinctWith("left").size() == 100);

        assertThat(countOn(3, "broken") + countOn(3, "left")).as("nothing to the dead broker's members").isZero();
        assertThat(countOn(2, "broken")).as("broker 2 keeps its share").isPositive();
        assertThat(all()).as("each message exactly once over the whole run, none twice")
                .doesNotHaveDuplicates().hasSize(500);
    }

    @Test
    void givenMessagesAMemberHasNotAcknowledged_whenItsBrokerIsKilled_thenTheyGoToAMemberOnAnotherBroker()
            throws Exception {
        cluster = new ClusterNodes(3);
        member(2, "member-2-stuck", true);
        member(3, "member-3-a");
        await("broker 1 knows the group's brokers").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_routes_remote") == 2);
        Mqtt5BlockingClient publisher = cluster.connect(1, "publisher-on-1");

        publish(publisher, "h", 200); // each acknowledged once its broker routed it
        await("all 200 delivered, broker 2's share unacknowledged").atMost(ClusterNodes.SETTLE)
                .until(() -> distinctWith("h").size() == 200);
        int unacknowledged = countOn(2, "h");
        assertThat(unacknowledged).as("broker 2 got its share").isPositive();
        assertThat(Http.metric(cluster.http(1), "mqtt_cluster_shared_custody"))
                .as("broker 1 keeps a copy of each message broker 2's member has not acknowledged")
                .isEqualTo(unacknowledged);

        cluster.kill(2); // SIGKILL: its member's messages die with its memory
        await("broker 2's unacknowledged messages reach the member on broker 3 [MQTT 5.0 4.8.2]")
                .atMost(ClusterNodes.SETTLE)
                .until(() -> received.get("member-3-a").stream().distinct().count() == 200);
        assertThat(Http.metric(cluster.http(1), "mqtt_cluster_shared_redelivered_total"))
                .isEqualTo(unacknowledged);
        assertThat(Http.metric(cluster.http(1), "mqtt_cluster_shared_custody")).isZero();
        assertThat(received.get("member-3-a")).as("broker 3's own share once, the redelivered ones once")
                .doesNotHaveDuplicates();
    }
}
