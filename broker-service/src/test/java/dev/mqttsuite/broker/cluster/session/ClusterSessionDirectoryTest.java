package dev.mqttsuite.broker.cluster.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.broker.support.StubSessionListener;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One owner per client id across embedded Hazelcast members in one JVM: claims raise the epoch atomically, a CONNECT
 * on another broker takes the session over with its subscriptions and queued messages, the old connection is evicted,
 * a broker that finds its claim superseded drops its copy (fencing), departed members' records are orphaned, and
 * below the split-brain quorum no claim succeeds.
 */
@Timeout(120)
class ClusterSessionDirectoryTest {

    private static final Duration PROPAGATION = Duration.ofSeconds(30);
    private static final SubscriptionOptions QOS1 = new SubscriptionOptions(1, false, false, 0, 0);
    private static final SubscriptionTopic TOPIC = SubscriptionTopic.parse("sensors/#");

    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    private final SessionLimits limits = SessionLimits.from(BrokerConfigValidatorTest.config(Map.of()));
    private final Map<String, ClusterSessionDirectory> byMember = new ConcurrentHashMap<>();
    private final TestMembers members = new TestMembers(3);
    private volatile boolean handoverReachable = true;

    /** One broker: its member, its local sessions and route table, its cluster directory, what it evicted. */
    private record Node(ClusterMember member, LocalSessionDirectory local, LocalRouteTable routes,
            ClusterSessionDirectory sessions, List<SessionListener> evicted) {
    }

    private Node node(int index, int quorum) {
        ClusterMember member = members.start(index, quorum);
        LocalRouteTable routes = new LocalRouteTable(SubscriptionIndex.DEFAULT_MAX_LEVELS);
        LocalSessionDirectory local = new LocalSessionDirectory(limits, metrics, SessionJournal.IN_MEMORY,
                ended -> ended.subscriptions().keySet().forEach(topic -> routes.unsubscribe(ended, topic)),
                orphan -> { });
        List<SessionListener> evicted = new CopyOnWriteArrayList<>();
        ClusterSessionDirectory sessions = new ClusterSessionDirectory(local, (connection, continues) ->
                evicted.add(connection), routes, member, (owner, clientId, epoch, discard) -> handoverReachable
                        ? CompletableFuture.completedFuture(byMember.get(owner.memberId()).handOver(clientId, epoch,
                                discard))
                        : CompletableFuture.failedFuture(new IllegalStateException("unreachable")),
                Duration.ofSeconds(2));
        byMember.put(member.memberId(), sessions);
        return new Node(member, local, routes, sessions, evicted);
    }

    private List<Node> cluster(int size, int quorum) {
        List<Node> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(node(i, quorum));
        }
        await("members").atMost(PROPAGATION).until(() -> nodes.stream().allMatch(n -> n.member().size() == size));
        return nodes;
    }

    @AfterEach
    void stop() {
        byMember.values().forEach(ClusterSessionDirectory::close);
        members.close();
    }

    private static SessionDirectory.Attach connect(Node node, String clientId, boolean cleanStart,
            SessionListener connection, String user) throws Exception {
        return node.sessions().attach(clientId, cleanStart, connection, 3600, user).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private static Delivery delivery(String payload) {
        Message m = new Message(TopicName.of("sensors/" + payload), payload.getBytes(), 1, false,
                PublishProperties.NONE, "pub", 0);
        return new Delivery(m, 1, false, null, null);
    }

    @Test
    void givenPersistentSessionOnA_whenClientConnectsOnB_thenBResumesItWithSubscriptionsAndQueuedMessages()
            throws Exception {
        List<Node> nodes = cluster(2, 0);
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        StubSessionListener first = new StubSessionListener();
        Session onA = connect(a, "c1", true, first, "alice").session();
        onA.putSubscription(TOPIC, QOS1);
        a.routes().subscribe(onA, TOPIC, QOS1);
        a.sessions().detach(onA, first);
        for (int i = 0; i < 3; i++) {
            onA.enqueue(delivery("m" + i), null);
        }
        long epochOnA = a.sessions().epochOf("c1");

        SessionDirectory.Attach onB = connect(b, "c1", false, new StubSessionListener(), "alice");

        assertThat(onB.sessionPresent()).as("the session moved with the client [MQTT-3.2.2-3]").isTrue();
        assertThat(onB.session().queuedMessages()).as("its queued QoS 1 messages came along").isEqualTo(3);
        assertThat(onB.session().subscriptions()).containsKey(TOPIC);
        assertThat(b.routes().size()).as("B routes the subscription now").isEqualTo(1);
        assertThat(b.sessions().epochOf("c1")).as("a claim raises the epoch").isEqualTo(epochOnA + 1);
        assertThat(a.local().get("c1")).as("A ended its copy").isNull();
        assertThat(a.routes().size()).as("A's route left with the session").isZero();
        assertThat(a.sessions().epochOf("c1")).isEqualTo(-1);
    }

    @Test
    void givenClientConnectedOnA_whenSameClientIdConnectsOnB_thenAEvictsItsConnection() throws Exception {
        List<Node> nodes = cluster(2, 0);
        StubSessionListener first = new StubSessionListener();
        connect(nodes.get(0), "c2", true, first, "alice");

        SessionDirectory.Attach onB = connect(nodes.get(1), "c2", false, new StubSessionListener(), "alice");

        assertThat(nodes.get(0).evicted()).as("the old connection gets 0x8E [MQTT-3.1.4-3]").containsExactly(first);
        assertThat(onB.sessionPresent()).isTrue();
    }

    @Test
    void givenSessionOnA_whenCleanStartOnB_thenFreshSessionAndAEndsItsCopy() throws Exception {
        List<Node> nodes = cluster(2, 0);
        StubSessionListener first = new StubSessionListener();
        Session onA = connect(nodes.get(0), "c3", false, first, "alice").session();
        onA.putSubscription(TOPIC, QOS1);

        SessionDirectory.Attach onB = connect(nodes.get(1), "c3", true, new StubSessionListener(), "alice");

        assertThat(onB.sessionPresent()).as("Clean Start discards the session [MQTT-3.1.2-4]").isFalse();
        assertThat(onB.session().subscriptions()).isEmpty();
        assertThat(onA.isEnded()).isTrue();
    }

    @Test
    void givenSessionOfAnotherUser_whenConnectingElsewhere_thenRefusedAndUntouched() throws Exception {
        List<Node> nodes = cluster(2, 0);
        connect(nodes.get(0), "c4", false, new StubSessionListener(), "alice");
        long epoch = nodes.get(0).sessions().epochOf("c4");

        assertThatThrownBy(() -> connect(nodes.get(1), "c4", false, new StubSessionListener(), "mallory"))
                .hasCauseInstanceOf(SessionDirectory.ForeignSession.class);
        assertThat(nodes.get(0).sessions().epochOf("c4")).as("a refused claim changes nothing").isEqualTo(epoch);
        assertThat(nodes.get(0).evicted()).isEmpty();
    }

    @Test
    void givenOwnerUnreachable_whenClaimedElsewhere_thenFreshSessionAndTheOldOwnerIsFenced() throws Exception {
        List<Node> nodes = cluster(2, 0);
        Node a = nodes.get(0);
        StubSessionListener first = new StubSessionListener();
        Session onA = connect(a, "c5", false, first, "alice").session();
        handoverReachable = false; // A paused: it does not answer, yet it is still a member

        SessionDirectory.Attach onB = connect(nodes.get(1), "c5", false, new StubSessionListener(), "alice");

        assertThat(onB.sessionPresent()).as("no replica in phase 2a: the session starts afresh").isFalse();
        await("A learns that the epoch moved on and drops its copy").atMost(PROPAGATION)
                .until(() -> a.evicted().contains(first) && onA.isEnded());
        assertThat(a.sessions().epochOf("c5")).isEqualTo(-1);
    }

    @Test
    void givenOwnerLeaves_whenTheClientReconnectsElsewhere_thenItsRecordWasOrphanedAndTheEpochGoesOn()
            throws Exception {
        List<Node> nodes = cluster(3, 0);
        connect(nodes.get(0), "c6", false, new StubSessionListener(), "alice");
        long epoch = nodes.get(0).sessions().epochOf("c6");
        var map = nodes.get(1).member().hazelcast().<String, Ownership>getMap(ClusterMember.SESSIONS_MAP);

        nodes.get(0).member().hazelcast().getLifecycleService().terminate();

        await("the survivors mark the departed owner's record").atMost(PROPAGATION)
                .until(() -> map.get("c6") != null && map.get("c6").orphaned());
        SessionDirectory.Attach onC = connect(nodes.get(2), "c6", false, new StubSessionListener(), "alice");
        assertThat(onC.sessionPresent()).isFalse();
        assertThat(nodes.get(2).sessions().epochOf("c6")).as("epochs stay monotonic").isEqualTo(epoch + 1);
    }

    @Test
    void givenSessionEndsOnItsOwner_thenItsRecordIsRemoved() throws Exception {
        List<Node> nodes = cluster(2, 0);
        StubSessionListener connection = new StubSessionListener();
        Session session = connect(nodes.get(0), "c7", true, connection, "alice").session();
        var map = nodes.get(1).member().hazelcast().<String, Ownership>getMap(ClusterMember.SESSIONS_MAP);
        assertThat(map.get("c7")).isNotNull();

        nodes.get(0).sessions().detach(session, connection);
        assertThat(nodes.get(0).sessions().endIfIdle(session)).isTrue();

        await("released").atMost(PROPAGATION).until(() -> map.get("c7") == null);
    }

    @Test
    void givenFewerMembersThanTheQuorum_whenClaiming_thenRefused_andOnceTheQuorumIsThere_thenAccepted()
            throws Exception {
        Node alone = node(0, 2);

        assertThatThrownBy(() -> connect(alone, "c8", false, new StubSessionListener(), "alice"))
                .as("a minority side refuses claims: CONNACK 0x88").hasRootCauseInstanceOf(
                        com.hazelcast.splitbrainprotection.SplitBrainProtectionException.class);

        node(1, 2);
        await("two members").atMost(PROPAGATION).until(() -> alone.member().size() == 2);
        await("the quorum is there").atMost(PROPAGATION).ignoreExceptions()
                .until(() -> connect(alone, "c8", false, new StubSessionListener(), "alice") != null);
    }
}
