package dev.mqttsuite.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.cluster.route.HazelcastRoutes;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.support.RecordingSubscriber;
import dev.mqttsuite.broker.sys.SysTopicsPublisher;
import dev.mqttsuite.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Observability of a cluster member (issue 14; docs/adr/0011-broker-cluster-routing.md, "Observability"), with two
 * brokers in one JVM (embedded Hazelcast members, real gRPC streams, the brokers' real core without sockets):
 * readiness waits for the join, the routes and the attachment; every cluster metric of the ADR is registered with
 * its value; each broker publishes the cluster-wide $SYS figures and a departed broker's drop out.
 */
@Timeout(120)
class ClusterObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String clusterName = "observe-" + UUID.randomUUID().toString().substring(0, 8);
    private final int[] ports = {TestMembers.freePort(), TestMembers.freePort()};
    private final List<Node> nodes = new ArrayList<>();

    /** One broker, with what these tests read of it. */
    private final class Node extends TestBroker {

        Node(int index, boolean attach) {
            super(clusterName, ports, index);
            nodes.add(this);
            if (attach) {
                attach();
            }
        }

        RecordingSubscriber subscribe(String clientId, String filter) {
            RecordingSubscriber subscriber = new RecordingSubscriber();
            subscribe(clientId, filter, subscriber);
            return subscriber;
        }

        SysTopicsPublisher sys(boolean clusterTopics) {
            return new SysTopicsPublisher(core.metrics(), core.sessions(), core.routes(), core.retainedStore(),
                    core.publisher(), core.startedAtMillis(), "test",
                    clusterTopics ? cluster.sysCounts(Duration.ofSeconds(1)) : null);
        }

        double gauge(String name, String... tags) {
            return registry.get(name).tags(tags).gauge().value();
        }

        int remoteRoutesOf(Node other) {
            return cluster.remoteRoutes().size(other.cluster.memberId());
        }
    }

    @AfterEach
    void stop() {
        TestBroker.closeAll(nodes);
    }

    private Node[] twoConnectedBrokers() {
        Node a = new Node(0, true);
        Node b = new Node(1, true);
        await("two members, streams open both ways").atMost(WAIT).until(() -> a.cluster.members() == 2
                && b.cluster.members() == 2 && a.connectedPeers() == 1 && b.connectedPeers() == 1);
        return new Node[] {a, b};
    }

    @Test
    void givenABrokerJoining_thenItIsNotReadyUntilItJoinedLoadedTheRoutesAndRoutesWhatPeersForward() {
        Node a = new Node(0, true);
        a.subscribe("on-a", "orders/#");
        await("A's route is in the cluster's route table").atMost(WAIT).until(() -> Hazelcast
                .getHazelcastInstanceByName("mqtt-node-1-" + ports[0]).getMap(HazelcastRoutes.MAP).size() == 1);

        Node b = new Node(1, false); // joined, core built, not attached yet
        assertThat(b.cluster.members()).as("start returns once joined").isEqualTo(2);
        assertThat(b.remoteRoutesOf(a)).as("start returns once the routes are loaded").isEqualTo(1);
        assertThat(b.cluster.isReady()).as("not ready before it routes what peers forward").isFalse();

        b.attach();
        assertThat(b.cluster.isReady()).as("ready: joined, routes loaded, attached").isTrue();
        assertThat(a.cluster.isReady()).isTrue();
        b.close();
        assertThat(b.cluster.isReady()).as("not ready once it left").isFalse();
    }

    @Test
    void givenTwoBrokersForwarding_thenEveryClusterMetricOfTheAdrIsRegisteredWithItsValue() {
        Node[] pair = twoConnectedBrokers();
        Node a = pair[0];
        Node b = pair[1];
        RecordingSubscriber onB = b.subscribe("on-b", "orders/#");
        b.subscribe("on-b-2", "orders/#"); // same filter: still one route
        b.subscribe("on-b-3", "invoices/+");
        await("A knows B's two routes").atMost(WAIT).until(() -> a.remoteRoutesOf(b) == 2);

        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Message message = new Message(TopicName.of("orders/" + i), ("m" + i).getBytes(StandardCharsets.UTF_8),
                    1, false, PublishProperties.NONE, "pub", 0);
            accepted.add(a.core.publisher().publish(message, null).accepted().toCompletableFuture());
        }
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        await("B's subscriber got the 10").atMost(WAIT).until(() -> onB.received.size() == 10);

        assertThat(a.gauge("mqtt.cluster.members")).isEqualTo(2);
        assertThat(a.gauge("mqtt.cluster.peers.connected")).isEqualTo(1);
        assertThat(b.gauge("mqtt.cluster.routes.local")).as("one route per distinct filter").isEqualTo(2);
        assertThat(a.gauge("mqtt.cluster.routes.remote")).isEqualTo(2);
        assertThat(b.registry.get("mqtt.cluster.received.messages").counter().count())
                .as("a message crosses once, not once per subscriber").isEqualTo(10);
        assertThat(a.registry.get("mqtt.cluster.forward.messages").tag("peer", "node-2").counter().count())
                .as("acknowledged by the peer").isEqualTo(10);
        assertThat(a.registry.get("mqtt.cluster.forward.rtt").tag("peer", "node-2").timer().count())
                .as("one round trip per acknowledged frame").isPositive();
        assertThat(a.registry.get("mqtt.cluster.forward.dropped").tag("peer", "node-2").counter().count()).isZero();
        await("nothing left queued or in flight").atMost(WAIT).until(() -> a.gauge("mqtt.cluster.forward.queued",
                "peer", "node-2") == 0 && a.gauge("mqtt.cluster.forward.inflight", "peer", "node-2") == 0);
    }

    @Test
    void givenTwoBrokers_thenEachPublishesTheClusterTotalsAndEveryMembersFigures_andADepartedBrokerDropsOut() {
        Node[] pair = twoConnectedBrokers();
        Node a = pair[0];
        Node b = pair[1];
        a.subscribe("a-1", "orders/#");
        a.subscribe("a-2", "invoices/#");
        b.subscribe("b-1", "orders/#");
        SysTopicsPublisher sysA = a.sys(true);
        SysTopicsPublisher sysB = b.sys(true);
        sysB.snapshot(); // B shares its figures, as every interval

        await("A's $SYS carries B's figures and the totals").atMost(WAIT).until(() -> {
            Map<String, String> topics = sysA.snapshot();
            return "1".equals(topics.get("$SYS/cluster/nodes/node-2/subscriptions/count"))
                    && "3".equals(topics.get("$SYS/cluster/subscriptions/count"));
        });
        Map<String, String> topics = sysA.snapshot();
        assertThat(topics).containsEntry("$SYS/cluster/members", "2")
                .containsEntry("$SYS/cluster/nodes/node-1/subscriptions/count", "2")
                .containsEntry("$SYS/broker/subscriptions/count", "2")
                .containsKeys("$SYS/cluster/clients/connected", "$SYS/cluster/clients/total",
                        "$SYS/cluster/messages/received", "$SYS/cluster/messages/sent");
        assertThat(a.sys(false).snapshot().keySet()).as("without cluster counts: the broker's own topics only")
                .noneMatch(topic -> topic.startsWith("$SYS/cluster/"));

        nodes.remove(b);
        b.close();
        await("B's figures are gone from A's $SYS").atMost(WAIT).until(() -> {
            Map<String, String> after = sysA.snapshot();
            return "1".equals(after.get("$SYS/cluster/members"))
                    && after.keySet().stream().noneMatch(t -> t.startsWith("$SYS/cluster/nodes/node-2/"));
        });
        assertThat(sysA.snapshot()).containsEntry("$SYS/cluster/subscriptions/count", "2");
    }
}
