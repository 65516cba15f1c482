package dev.mqttsuite.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.support.RecordingSubscriber;
import dev.mqttsuite.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared subscriptions across two brokers in one JVM (two embedded Hazelcast members, real gRPC streams, the brokers'
 * real core without sockets): the publishing broker gives each message of a group to one broker with members, so each
 * message reaches exactly one member cluster-wide; a member that leaves hands its group's messages to the other broker.
 */
@Timeout(120)
class SharedSubscriptionClusterTest {

    private static final String GROUP = "$share/workers/jobs/#";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String clusterName = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    private final int[] ports = {TestMembers.freePort(), TestMembers.freePort()};
    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;

    /** One broker, attached, with what these tests do on it. */
    private final class Node extends TestBroker {

        Node(int index) {
            super(clusterName, ports, index);
            attach();
        }

        Member subscribe(String clientId, String filter) {
            RecordingSubscriber subscriber = new RecordingSubscriber();
            return new Member(subscribe(clientId, filter, subscriber), subscriber);
        }

        /** The brokers this one knows with members of {@link #GROUP}. */
        Set<String> groupBrokers() {
            Set<String> found = new HashSet<>();
            cluster.remoteRoutes().match(TopicName.of("jobs/1"), member -> { }, group -> group.members()
                    .forEach(m -> found.add(m.subscriber())));
            return found;
        }

        List<CompletableFuture<Void>> publish(String prefix, int count) {
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Message message = new Message(TopicName.of("jobs/" + (i % 4)),
                        (prefix + i).getBytes(StandardCharsets.UTF_8), 1, false, PublishProperties.NONE, "pub", 0);
                accepted.add(core.publisher().publish(message, null).accepted().toCompletableFuture());
            }
            return accepted;
        }
    }

    private record Member(Session session, RecordingSubscriber subscriber) {
        List<String> received() {
            return subscriber.received;
        }
    }

    @BeforeEach
    void startTwoBrokers() {
        a = new Node(0);
        nodes.add(a);
        b = new Node(1);
        nodes.add(b);
        await("two members, streams open both ways").atMost(WAIT).until(() -> a.cluster.members() == 2
                && b.cluster.members() == 2 && a.connectedPeers() == 1 && b.connectedPeers() == 1);
    }

    @AfterEach
    void stop() {
        TestBroker.closeAll(nodes);
    }

    private static int queued(Member member) {
        return member.session().state(System.currentTimeMillis()).queue().size();
    }

    private static void allAccepted(List<CompletableFuture<Void>> stages) {
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void givenGroupMembersOnBothBrokers_thenEachMessageReachesExactlyOneMemberClusterWide_andBothBrokersGetAShare() {
        Member a1 = a.subscribe("a1", GROUP);
        Member b1 = b.subscribe("b1", GROUP);
        Member b2 = b.subscribe("b2", GROUP);
        Member plain = b.subscribe("plain", "jobs/#");
        Set<String> both = Set.of(a.cluster.memberId(), b.cluster.memberId());
        await("both brokers know both brokers of the group").atMost(WAIT)
                .until(() -> a.groupBrokers().equals(both) && b.groupBrokers().equals(both));

        List<CompletableFuture<Void>> stages = a.publish("a", 150);
        stages.addAll(b.publish("b", 150));
        allAccepted(stages);

        await("300 deliveries to the group").atMost(WAIT)
                .until(() -> a1.received().size() + b1.received().size() + b2.received().size() >= 300);
        List<String> all = new ArrayList<>(a1.received());
        all.addAll(b1.received());
        all.addAll(b2.received());
        assertThat(all).as("each message once cluster-wide: no duplicates").doesNotHaveDuplicates().hasSize(300);
        assertThat(a1.received()).as("broker A gets a share").isNotEmpty();
        assertThat(b1.received().size() + b2.received().size()).as("broker B gets a share").isPositive();
        assertThat(a1.received()).as("both publishers' messages spread").anyMatch(p -> p.startsWith("b"));
        await("the plain subscriber gets every message").atMost(WAIT).until(() -> plain.received().size() >= 300);
        assertThat(plain.received()).as("plain subscriptions are unaffected").doesNotHaveDuplicates().hasSize(300);

        // B's members never acknowledged (RecordingSubscriber sends no PUBACK): A keeps a copy of each of A's
        // messages it gave them, and when B leaves with their sessions those go to the member left, a1 [MQTT 5.0 4.8.2]
        Set<String> givenToBByA = new HashSet<>();
        b1.received().stream().filter(p -> p.startsWith("a")).forEach(givenToBByA::add);
        b2.received().stream().filter(p -> p.startsWith("a")).forEach(givenToBByA::add);
        assertThat(givenToBByA).as("A gave B's members a share of its messages").isNotEmpty();
        nodes.remove(b);
        b.close(); // B leaves: its routes and stream go, the group's messages all stay on A
        await("B gone").atMost(WAIT).until(() -> a.cluster.members() == 1);
        allAccepted(a.publish("after", 20));
        await("A's unacknowledged messages on B and the 20 published after reach a1").atMost(WAIT)
                .until(() -> a1.received().containsAll(givenToBByA)
                        && a1.received().stream().filter(p -> p.startsWith("after")).count() == 20);
        assertThat(a1.received()).as("once each on a1").doesNotHaveDuplicates();
    }

    @Test
    void givenMemberThatLeavesWithNoOtherMemberOnItsBroker_thenItsGroupMessagesGoToAMemberOnTheOtherBroker() {
        Member a1 = a.subscribe("a1", GROUP);
        Member b1 = b.subscribe("b1", GROUP);
        Set<String> both = Set.of(a.cluster.memberId(), b.cluster.memberId());
        await("A knows both brokers of the group").atMost(WAIT).until(() -> a.groupBrokers().equals(both)
                && b.groupBrokers().equals(both));
        a1.subscriber().full = true; // a1 reads nothing: its share queues on A

        allAccepted(a.publish("m", 40));
        await("every message delivered to b1 or queued for a1").atMost(WAIT)
                .until(() -> b1.received().size() + queued(a1) == 40);
        int queuedOnA = queued(a1);
        assertThat(queuedOnA).as("round-robin over A and B: A's share").isEqualTo(20);
        assertThat(a1.received()).isEmpty();

        // a1's connection breaks (as ConnectionCloser does): its queued group messages are orphans
        a1.session().detach(a1.subscriber());
        Router router = new Router(a.cluster.routes(), a.metrics, s -> Permissions.ALL, a.cluster.forwarder());
        List<Delivery> orphans = a1.session().takeSharedDeliveries();
        assertThat(orphans).hasSize(queuedOnA);
        orphans.forEach(orphan -> router.redeliver(orphan, a1.session()));

        await("handed on to B's member").atMost(WAIT).until(() -> b1.received().size() == 40);
        assertThat(b1.received()).as("each message once").doesNotHaveDuplicates();
    }
}
