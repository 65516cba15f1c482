package dev.mqttsuite.broker.cluster.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.OfflineSessionEvents;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.broker.session.log.LogRecord;
import dev.mqttsuite.broker.session.log.SessionRecords;
import dev.mqttsuite.broker.support.StubSessionListener;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicated persistent sessions (docs/adr/0017-cluster-session-replication.md): the replica applies the owner's
 * records as the session log's recovery does, refuses records of an older claim, and is promoted to a broker that
 * claims the session of a dead or silent owner, which resumes it with subscriptions, queued and in-flight messages.
 */
@Timeout(120)
class SessionReplicationTest {

    private static final Duration PROPAGATION = Duration.ofSeconds(60);
    private static final SubscriptionOptions QOS1 = new SubscriptionOptions(1, false, false, 0, 0);
    private static final SubscriptionTopic TOPIC = SubscriptionTopic.parse("sensors/#");

    // ---- the replica's apply and promote logic, without a cluster -------------------------------------------------

    private static Message message(String payload) {
        return new Message(TopicName.of("sensors/" + payload), payload.getBytes(), 1, false, PublishProperties.NONE,
                "pub", 0);
    }

    private static byte[] records(LogRecord... records) {
        return SessionRecords.encode(List.of(records));
    }

    private static Boolean update(Map.Entry<String, Replica> entry, String incarnation, long epoch,
            LogRecord... records) {
        return new ReplicaUpdate(incarnation, epoch, null, records(records), SessionRecords.opens(List.of(records)))
                .process(entry);
    }

    private static SessionState promote(Map.Entry<String, Replica> entry, String previous, String claimant,
            long epoch) throws Exception {
        byte[] state = new Promote(previous, claimant, epoch, 1_000).process(entry);
        return state == null ? null : SessionSnapshot.decode(state);
    }

    private static Map.Entry<String, Replica> openedReplica() {
        Map.Entry<String, Replica> entry = new AbstractMap.SimpleEntry<>("c1", null);
        assertThat(update(entry, "a/1", 3,
                new LogRecord.Opened("c1", 3600, "alice"),
                new LogRecord.Attached("c1", 3600),
                new LogRecord.Subscribed("c1", TOPIC, QOS1),
                new LogRecord.Queued("c1", 1, message("m1"), 1, false, new int[0]),
                new LogRecord.Queued("c1", 2, message("m2"), 2, false, new int[0]),
                new LogRecord.Queued("c1", 3, message("m3"), 1, false, new int[0]),
                new LogRecord.Sent("c1", 1, 7),
                new LogRecord.Sent("c1", 2, 8),
                new LogRecord.Released("c1", 2),
                new LogRecord.InboundStarted("c1", 42),
                new LogRecord.WillSet("c1", null))).isTrue();
        return entry;
    }

    @Test
    void givenOwnersRecords_whenPromoted_thenStateHasSubscriptionsQueuedInflightAndQos2State() throws Exception {
        Map.Entry<String, Replica> entry = openedReplica();
        update(entry, "a/1", 3, new LogRecord.Completed("c1", 1));

        SessionState state = promote(entry, "a/1", "b/1", 4);

        assertThat(state.subscriptions()).containsEntry(TOPIC, QOS1);
        assertThat(state.inflight()).as("m2 in flight, PUBREC received: PUBREL is next [MQTT-4.3.3]")
                .singleElement().satisfies(d -> {
                    assertThat(d.packetId()).isEqualTo(8);
                    assertThat(d.released()).isTrue();
                });
        assertThat(state.queue()).as("m3 still queued, m1 acknowledged").hasSize(1);
        assertThat(state.inboundQos2()).as("inbound QoS 2 identifier awaiting PUBREL [MQTT-4.3.3-10]")
                .containsExactly(42);
        assertThat(state.detachedAtMillis()).as("the connection died with its broker").isEqualTo(1_000);
        assertThat(state.owner()).isEqualTo("alice");
        assertThat(entry.getValue().incarnation()).as("the claimant writes the replica now").isEqualTo("b/1");
    }

    @Test
    void givenReplicaPromoted_whenTheOldOwnerSendsRecords_thenRefused() {
        Map.Entry<String, Replica> entry = openedReplica();
        assertThat(new Promote("a/1", "b/1", 4, 0).process(entry)).isNotNull();

        assertThat(update(entry, "a/1", 3, new LogRecord.Queued("c1", 9, message("late"), 1, false, new int[0])))
                .as("a stale owner cannot have a message accepted: its PUBACK is refused").isFalse();
        assertThat(update(entry, "b/1", 4, new LogRecord.Queued("c1", 9, message("new"), 1, false, new int[0])))
                .isTrue();
    }

    @Test
    void givenMessageQueuedAndCompletedInOneRound_thenItsRecordsNeverLeave_butOthersKeepTheirOrder() {
        LogRecord open = new LogRecord.Queued("c1", 2, message("open"), 1, false, new int[0]);
        LogRecord openSent = new LogRecord.Sent("c1", 2, 8);
        LogRecord earlier = new LogRecord.Completed("c1", 0); // queued in an earlier round: the replica must hear of it
        List<LogRecord> round = new ArrayList<>(List.of(
                new LogRecord.Queued("c1", 1, message("done"), 2, false, new int[0]), open,
                new LogRecord.Sent("c1", 1, 7), new LogRecord.Released("c1", 1), openSent,
                new LogRecord.Completed("c1", 1), earlier));

        assertThat(SessionReplicator.coalesce(round)).isTrue();

        assertThat(round).containsExactly(open, openSent, earlier);
        assertThat(SessionReplicator.coalesce(round)).as("nothing left to coalesce").isFalse();
    }

    @Test
    void givenReplicaOfAnotherOwner_whenPromoting_thenNothingIsTaken() throws Exception {
        Map.Entry<String, Replica> entry = openedReplica();

        assertThat(promote(entry, "x/9", "b/1", 4)).as("written by an owner the claim did not replace").isNull();
        assertThat(promote(entry, "a/1", "b/1", 3)).as("not newer than the replica's writer").isNull();
        assertThat(entry.getValue().incarnation()).isEqualTo("a/1");
    }

    @Test
    void givenSessionEnds_thenItsReplicaGoes_andRecordsOfAnUnreplicatedSessionCreateNothing() {
        Map.Entry<String, Replica> entry = openedReplica();

        update(entry, "a/1", 3, new LogRecord.Ended("c1"));
        assertThat(entry.getValue()).isNull();

        assertThat(update(entry, "a/1", 4, new LogRecord.Detached("c1", 60, 5))).isTrue();
        assertThat(entry.getValue()).as("no Opened: no replica").isNull();
    }

    @Test
    void givenReplica_whenSerializedForABackupOrMigration_thenTheSameStateAndWriterComeBack() throws Exception {
        Replica replica = openedReplica().getValue();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(replica);
        }
        Replica copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Replica) in.readObject();
        }

        assertThat(copy.epoch()).isEqualTo(3);
        assertThat(copy.incarnation()).isEqualTo("a/1");
        SessionState state = copy.state(77);
        assertThat(state.inflight()).hasSize(2);
        assertThat(state.queue()).hasSize(1);
        assertThat(state.detachedAtMillis()).as("still attached when copied").isEqualTo(77);
    }

    // ---- embedded members ------------------------------------------------------------------------------------------

    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    private final SessionLimits limits = SessionLimits.from(BrokerConfigValidatorTest.config(Map.of()));
    private final Map<String, ClusterSessionDirectory> byMember = new ConcurrentHashMap<>();
    private final List<SessionReplication> replications = new ArrayList<>();
    private final TestMembers members = new TestMembers(3);
    private volatile boolean handoverReachable = true;
    /** The previous owner hands the session over, but its reply never arrives (too large, connection lost). */
    private volatile boolean replyLost;

    private record Node(ClusterMember member, LocalRouteTable routes, ClusterSessionDirectory sessions,
            List<String> adopted) {
    }

    private List<Node> cluster(int size) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ClusterMember member = members.start(i);
            SessionReplication replication = new SessionReplication(member, Duration.ofSeconds(10),
                    new SimpleMeterRegistry());
            replications.add(replication);
            LocalRouteTable routes = new LocalRouteTable(SubscriptionIndex.DEFAULT_MAX_LEVELS);
            LocalSessionDirectory local = new LocalSessionDirectory(limits, metrics,
                    replication.journal(SessionJournal.IN_MEMORY),
                    ended -> ended.subscriptions().keySet().forEach(topic -> routes.unsubscribe(ended, topic)),
                    orphan -> { });
            ClusterSessionDirectory sessions = new ClusterSessionDirectory(local, (connection, continues) -> { },
                    routes, member, (owner, clientId, epoch, discard) -> {
                        if (!handoverReachable) {
                            return CompletableFuture.failedFuture(new IllegalStateException("unreachable"));
                        }
                        byte[] state = byMember.get(owner.memberId()).handOver(clientId, epoch, discard);
                        return replyLost
                                ? CompletableFuture.failedFuture(new IllegalStateException("reply lost: " + state))
                                : CompletableFuture.completedFuture(state);
                    },
                    Duration.ofSeconds(2), replication);
            byMember.put(member.memberId(), sessions);
            List<String> adopted = new java.util.concurrent.CopyOnWriteArrayList<>();
            sessions.offlineSessions(new OfflineSessionEvents() {
                @Override
                public void adopted(Session session, SessionState state) {
                    adopted.add(session.clientId() + (state.will() != null ? "+will" : ""));
                }

                @Override
                public void handedOver(String clientId, boolean resumed) {
                }
            });
            nodes.add(new Node(member, routes, sessions, adopted));
        }
        await("members").atMost(PROPAGATION).until(() -> nodes.stream().allMatch(n -> n.member().size() == size));
        return nodes;
    }

    @AfterEach
    void stop() {
        byMember.values().forEach(ClusterSessionDirectory::close);
        replications.forEach(SessionReplication::close);
        members.close();
    }

    private static SessionDirectory.Attach connect(Node node, String clientId, StubSessionListener connection)
            throws Exception {
        return node.sessions().attach(clientId, false, connection, 3600, "alice").toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private static Delivery delivery(String payload) {
        return new Delivery(message(payload), 1, false, null, null);
    }

    /** What the publisher's PUBACK waits for: the owner's journal, replica included. */
    private static void acknowledged(Session session) throws Exception {
        session.journaled().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A persistent session on {@code node}, subscribed to {@link #TOPIC}, offline with {@code queued} acknowledged. */
    private static Session offlineSession(Node node, String clientId, String... queued) throws Exception {
        StubSessionListener connection = new StubSessionListener();
        Session session = connect(node, clientId, connection).session();
        session.putSubscription(TOPIC, QOS1);
        node.sessions().detach(session, connection);
        for (String payload : queued) {
            session.enqueue(delivery(payload), null);
        }
        acknowledged(session);
        return session;
    }

    @Test
    void givenOwnerKilled_whenTheClientReconnectsOnASurvivor_thenSessionPresentWithEveryAcknowledgedMessage()
            throws Exception {
        List<Node> nodes = cluster(3);
        Node a = nodes.get(0);
        StubSessionListener connection = new StubSessionListener();
        Session onA = connect(a, "k1", connection).session();
        onA.putSubscription(TOPIC, QOS1);
        a.routes().subscribe(onA, TOPIC, QOS1);
        onA.enqueue(delivery("inflight-1"), null);
        onA.enqueue(delivery("inflight-2"), null);
        a.sessions().detach(onA, connection);
        for (int i = 0; i < 3; i++) {
            onA.enqueue(delivery("queued-" + i), null);
        }
        acknowledged(onA);
        var owners = nodes.get(1).member().hazelcast().<String, Ownership>getMap(ClusterMember.SESSIONS_MAP);

        String deadMember = a.member().memberId();
        a.member().hazelcast().getLifecycleService().terminate(); // kill -9: no goodbye

        // Orphaned first, then adopted by one survivor at once: the orphaned state may last less than one poll.
        await("the survivors take the dead owner's record (orphaned or already adopted)").atMost(PROPAGATION)
                .until(() -> owners.get("k1") != null && !deadMember.equals(owners.get("k1").memberId()));
        Node c = nodes.get(2);
        SessionDirectory.Attach onC = connect(c, "k1", new StubSessionListener());

        assertThat(onC.sessionPresent()).as("restored from the replica [MQTT-3.2.2-3]").isTrue();
        assertThat(onC.session().subscriptions()).containsEntry(TOPIC, QOS1);
        assertThat(onC.session().inflightMessages() + onC.session().queuedMessages())
                .as("every acknowledged message: 2 in flight (resent with DUP) and 3 queued").isEqualTo(5);
        assertThat(c.routes().size()).as("its route is registered on the new owner").isEqualTo(1);
    }

    @Test
    void givenOwnerSilent_whenClaimedElsewhere_thenResumedFromTheReplicaAndTheOldOwnerCannotAcknowledge()
            throws Exception {
        List<Node> nodes = cluster(2);
        Node a = nodes.get(0);
        StubSessionListener connection = new StubSessionListener();
        Session onA = connect(a, "k2", connection).session();
        a.sessions().detach(onA, connection);
        onA.enqueue(delivery("before"), null);
        acknowledged(onA);
        handoverReachable = false; // A paused: still a member, does not answer

        SessionDirectory.Attach onB = connect(nodes.get(1), "k2", new StubSessionListener());

        assertThat(onB.sessionPresent()).isTrue();
        assertThat(onB.session().queuedMessages()).isEqualTo(1);
        onA.enqueue(delivery("stale"), null);
        assertThatThrownBy(() -> acknowledged(onA))
                .as("the stale owner's replica writes are fenced by the newer epoch: no PUBACK from it")
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SessionJournal.NotDurable.class);
    }

    @Test
    void givenTakeoverWhoseReplyIsLost_whenClaimedElsewhere_thenTheSessionComesFromTheReplicaTheOldOwnerKept()
            throws Exception {
        List<Node> nodes = cluster(2);
        Node a = nodes.get(0);
        offlineSession(a, "k4", "q1", "q2");
        replyLost = true; // A ends the session and sends its state, which never arrives

        SessionDirectory.Attach onB = connect(nodes.get(1), "k4", new StubSessionListener());

        assertThat(a.sessions().get("k4")).as("the old owner handed the session over").isNull();
        assertThat(onB.sessionPresent()).as("taken from the replica, which a handover does not delete").isTrue();
        assertThat(onB.session().queuedMessages()).as("every acknowledged message").isEqualTo(2);
        assertThat(onB.session().subscriptions()).containsEntry(TOPIC, QOS1);
    }

    @Test
    void givenSessionHandedOver_whenItContinuesWithoutExpiry_thenItsReplicaGoes() throws Exception {
        List<Node> nodes = cluster(2);
        offlineSession(nodes.get(0), "k5", "q1");
        var replicas = nodes.get(1).member().hazelcast().<String, Replica>getMap(ClusterMember.REPLICAS_MAP);
        assertThat(replicas.containsKey("k5")).isTrue();

        SessionDirectory.Attach onB = nodes.get(1).sessions().attach("k5", false, new StubSessionListener(), 0,
                "alice").toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(onB.sessionPresent()).as("handed over over gRPC [MQTT-3.2.2-3]").isTrue();
        await("the replica of a session that no longer outlives its connection goes").atMost(PROPAGATION)
                .until(() -> !replicas.containsKey("k5"));
    }

    @Test
    void givenOrphanRunForAMemberThatIsInTheCluster_thenItsRecordsStayItsOwn_andOnceItIsGoneTheyAreOrphaned() {
        // bare members: no session directory of their own runs its orphaning pass (and adopts) behind the test's back
        ClusterMember a = members.start(0);
        ClusterMember b = members.start(1);
        await("two members").atMost(PROPAGATION).until(() -> a.size() == 2 && b.size() == 2);
        var owners = a.hazelcast().<String, Ownership>getMap(ClusterMember.SESSIONS_MAP);
        owners.put("live", new Ownership("b/1", "node-b", b.memberId(), 5, "alice", true));

        assertThat(owners.executeOnEntries(new Orphan(b.memberId())).get("live"))
                .as("a retried run after a healed split: B is a member").isNotEqualTo(Boolean.TRUE);
        assertThat(owners.get("live").orphaned()).isFalse();

        b.hazelcast().getLifecycleService().terminate();
        await("B gone").atMost(PROPAGATION).until(() -> a.size() == 1);
        assertThat(owners.executeOnEntries(new Orphan(b.memberId())).get("live")).isTrue();
        assertThat(owners.get("live").orphaned()).as("the epoch stays, the owner goes").isTrue();
        assertThat(owners.get("live").epoch()).isEqualTo(5);
    }

    @Test
    void givenOwnerKilled_thenExactlyOneSurvivorAdoptsEachSessionWithItsRoutesAndWill() throws Exception {
        List<Node> nodes = cluster(3);
        Node a = nodes.get(0);
        for (int i = 0; i < 6; i++) {
            StubSessionListener connection = new StubSessionListener();
            Session session = connect(a, "w" + i, connection).session();
            session.putSubscription(TOPIC, QOS1);
            a.routes().subscribe(session, TOPIC, QOS1);
            session.will(new StoredWill(message("gone-" + i), 5, -1)); // its connection dies with the broker
            acknowledged(session);
        }

        a.member().hazelcast().getLifecycleService().terminate();

        Node b = nodes.get(1);
        Node c = nodes.get(2);
        await("the survivors adopt the dead broker's sessions").atMost(PROPAGATION)
                .until(() -> b.adopted().size() + c.adopted().size() == 6);
        List<String> all = new ArrayList<>(b.adopted());
        all.addAll(c.adopted());
        assertThat(all).as("each session adopted once, with its will (published once, by its adopter)")
                .containsExactlyInAnyOrder("w0+will", "w1+will", "w2+will", "w3+will", "w4+will", "w5+will");
        assertThat(b.routes().size() + c.routes().size())
                .as("the adopters route the sessions' subscriptions again").isGreaterThanOrEqualTo(1);

        SessionDirectory.Attach resumed = connect(b, "w0", new StubSessionListener());
        assertThat(resumed.sessionPresent()).as("taken over from its adopter").isTrue();
    }
}
