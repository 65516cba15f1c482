package dev.mqttsuite.broker.cluster.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster route table with two embedded Hazelcast members in one JVM on 127.0.0.1: routes are per broker and
 * filter (not per subscriber), learnt by the other broker into its local index, and removed when the last subscriber
 * goes or the broker leaves.
 */
@Timeout(120)
class ClusterRouteTableTest {

    private static final SubscriptionOptions QOS1 = new SubscriptionOptions(1, false, false, 0, 0);
    private static final Duration PROPAGATION = Duration.ofSeconds(15);

    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    private final SessionLimits limits = SessionLimits.from(BrokerConfigValidatorTest.config(Map.of()));
    private TestMembers members;
    private Node a;
    private Node b;

    /** One broker's side: its member, decorated table and view of the other's routes. */
    private record Node(ClusterMember member, ClusterRouteTable table, RemoteRoutes remote, HazelcastRoutes routes) {
        List<String> membersFor(String topic) {
            List<String> found = new ArrayList<>();
            remote.matchMembers(TopicName.of(topic), found::add);
            return found;
        }

        /** The brokers with members of group {@code shareName} whose filter matches {@code topic}. */
        List<String> groupBrokers(String topic, String shareName) {
            List<String> found = new ArrayList<>();
            remote.match(TopicName.of(topic), member -> { }, group -> {
                if (group.shareName().equals(shareName)) {
                    group.members().forEach(m -> found.add(m.subscriber()));
                }
            });
            return found;
        }
    }

    private Node node(int index) throws Exception {
        ClusterMember member = members.start(index);
        ClusterRouteTable table = new ClusterRouteTable(new LocalRouteTable(SubscriptionIndex.DEFAULT_MAX_LEVELS));
        RemoteRoutes remote = new RemoteRoutes(SubscriptionIndex.DEFAULT_MAX_LEVELS);
        HazelcastRoutes routes = new HazelcastRoutes(member, table, remote);
        routes.start().get();
        return new Node(member, table, remote, routes);
    }

    @BeforeEach
    void startTwoMembers() throws Exception {
        members = new TestMembers(2);
        a = node(0);
        b = node(1);
        await("two members").atMost(PROPAGATION).until(() -> a.member().size() == 2 && b.member().size() == 2);
    }

    @AfterEach
    void stop() {
        members.close();
    }

    private Session session(String id) {
        return new Session(id, limits, metrics);
    }

    @Test
    void givenSubscriptionOnOneBroker_whenTheOtherMatches_thenItFindsThatBrokerOnce() {
        a.table().subscribe(session("s1"), SubscriptionTopic.parse("sensors/+/temp"), QOS1);
        a.table().subscribe(session("s2"), SubscriptionTopic.parse("sensors/#"), QOS1);

        await("routes of A reach B").atMost(PROPAGATION)
                .until(() -> b.membersFor("sensors/1/temp").size() == 2);
        assertThat(b.membersFor("sensors/1/temp")).as("one route per (broker, filter): two filters of A match")
                .containsOnly(a.member().memberId());
        assertThat(b.membersFor("other/topic")).isEmpty();
        assertThat(a.membersFor("sensors/1/temp")).as("a broker's own routes are not remote routes to it").isEmpty();
        assertThat(a.remote().size()).isZero();
        assertThat(a.table().size()).as("subscriptions stay local").isEqualTo(2);
    }

    @Test
    void givenManySubscribersOfOneFilter_thenOneRouteExistsUntilTheLastUnsubscribes() {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Session s = session("s" + i);
            sessions.add(s);
            a.table().subscribe(s, SubscriptionTopic.parse("news/#"), QOS1);
        }
        a.table().subscribe(sessions.get(0), SubscriptionTopic.parse("news/#"), QOS1); // resubscribe: still one
        assertThat(a.table().routeCount()).isEqualTo(1);
        await("route reaches B").atMost(PROPAGATION).until(() -> b.remote().size() == 1);
        assertThat(a.member().hazelcast().getMap(HazelcastRoutes.MAP).size()).as("one map entry per broker and filter")
                .isEqualTo(1);

        for (int i = 0; i < 49; i++) {
            a.table().unsubscribe(sessions.get(i), SubscriptionTopic.parse("news/#"));
        }
        assertThat(a.table().hasRoute("news/#")).as("one subscriber left").isTrue();
        a.table().unsubscribe(sessions.get(49), SubscriptionTopic.parse("news/#"));
        assertThat(a.table().hasRoute("news/#")).isFalse();
        await("route withdrawn at B").atMost(PROPAGATION).until(() -> b.membersFor("news/x").isEmpty());
        assertThat(a.member().hazelcast().getMap(HazelcastRoutes.MAP).size()).isZero();
    }

    @Test
    void givenSharedSubscriptions_thenEachBrokerAnnouncesOneRoutePerGroup_andEveryBrokerKnowsTheGroupsBrokers() {
        String memberA = a.member().memberId();
        String memberB = b.member().memberId();
        Session s1 = session("s1");
        Session s2 = session("s2");
        a.table().subscribe(s1, SubscriptionTopic.parse("$share/workers/jobs/+"), QOS1);
        a.table().subscribe(s2, SubscriptionTopic.parse("$share/workers/jobs/+"), QOS1);

        await("the group's route reaches B").atMost(PROPAGATION)
                .until(() -> b.groupBrokers("jobs/1", "workers").equals(List.of(memberA)));
        assertThat(b.membersFor("jobs/1")).as("a shared route is no plain route").isEmpty();
        assertThat(a.groupBrokers("jobs/1", "workers")).as("this broker is a candidate of its own groups")
                .containsExactly(memberA);
        assertThat(a.member().hazelcast().getMap(HazelcastRoutes.MAP).size()).as("one entry per broker and group")
                .isEqualTo(1);

        b.table().subscribe(session("b1"), SubscriptionTopic.parse("$share/workers/jobs/+"), QOS1);
        await("both brokers of the group, seen from both").atMost(PROPAGATION)
                .until(() -> a.groupBrokers("jobs/1", "workers").size() == 2
                        && b.groupBrokers("jobs/1", "workers").size() == 2);
        assertThat(a.groupBrokers("jobs/1", "workers")).containsExactlyInAnyOrder(memberA, memberB);

        a.table().unsubscribe(s1, SubscriptionTopic.parse("$share/workers/jobs/+"));
        assertThat(a.table().hasRoute("$share/workers/jobs/+")).as("one member left on A").isTrue();
        a.table().unsubscribe(s2, SubscriptionTopic.parse("$share/workers/jobs/+"));
        await("A is no broker of the group any more").atMost(PROPAGATION)
                .until(() -> b.groupBrokers("jobs/1", "workers").equals(List.of(memberB))
                        && a.groupBrokers("jobs/1", "workers").equals(List.of(memberB)));
        assertThat(a.remote().size(memberA)).isZero();
    }

    @Test
    void givenRoutesOnBothBrokers_thenEachSeesOnlyTheOther() {
        a.table().subscribe(session("a1"), SubscriptionTopic.parse("x/#"), QOS1);
        b.table().subscribe(session("b1"), SubscriptionTopic.parse("x/#"), QOS1);

        await("both learnt").atMost(PROPAGATION).until(() -> a.remote().size() == 1 && b.remote().size() == 1);
        assertThat(a.membersFor("x/y")).containsExactly(b.member().memberId());
        assertThat(b.membersFor("x/y")).containsExactly(a.member().memberId());
    }

    @Test
    void givenBrokerThatDies_thenTheSurvivorRemovesItsRoutes() {
        a.table().subscribe(session("s1"), SubscriptionTopic.parse("orders/#"), QOS1);
        await("route reaches B").atMost(PROPAGATION).until(() -> b.membersFor("orders/1").size() == 1);

        a.member().hazelcast().getLifecycleService().terminate(); // no graceful goodbye, like kill -9

        await("routes of the dead broker removed").atMost(Duration.ofSeconds(30))
                .until(() -> b.membersFor("orders/1").isEmpty());
        await("and gone from the map").atMost(PROPAGATION)
                .until(() -> b.member().hazelcast().getMap(HazelcastRoutes.MAP).isEmpty());
    }

    @Test
    void givenBrokerThatLeavesGracefully_thenItsRoutesAreWithdrawnFirst() {
        a.table().subscribe(session("s1"), SubscriptionTopic.parse("orders/#"), QOS1);
        await("route reaches B").atMost(PROPAGATION).until(() -> b.membersFor("orders/1").size() == 1);

        a.routes().close();

        await("withdrawn").atMost(PROPAGATION).until(() -> b.membersFor("orders/1").isEmpty());
    }

    @Test
    void givenBrokerWithReplicatedSessionsThatLeavesGracefully_thenItsRoutesAreHeldUntilTheSurvivorsAdoptedThem() {
        java.util.concurrent.CompletableFuture<Void> adopted = new java.util.concurrent.CompletableFuture<>();
        b.routes().departureGate(memberId -> adopted);
        a.table().subscribe(session("s1"), SubscriptionTopic.parse("orders/#"), QOS1);
        await("route reaches B").atMost(PROPAGATION).until(() -> b.membersFor("orders/1").size() == 1);
        String leaving = a.member().memberId();

        a.routes().close(false); // docs/adr/0017 "Graceful leave": not withdrawn, so nothing is acked into a gap
        a.member().close();

        await("A left").atMost(PROPAGATION).until(() -> b.member().size() == 1);
        assertThat(b.membersFor("orders/1")).as("held while the survivors adopt A's sessions: QoS 1/2 refused, not lost")
                .containsExactly(leaving);
        adopted.complete(null);
        await("released after the adoption pass").atMost(PROPAGATION)
                .until(() -> b.membersFor("orders/1").isEmpty());
    }

    @Test
    void givenRoutesBeforeAThirdBrokerJoins_thenItLoadsThemAtStart() throws Exception {
        a.table().subscribe(session("s1"), SubscriptionTopic.parse("late/+"), QOS1);
        await("route stored").atMost(PROPAGATION)
                .until(() -> a.member().hazelcast().getMap(HazelcastRoutes.MAP).size() == 1);
        b.member().hazelcast().getLifecycleService().terminate();
        await("alone").atMost(Duration.ofSeconds(30)).until(() -> a.member().size() == 1);
        // B's partitions promoted on A before C joins (a loaded machine can still be migrating them)
        await("partitions safe").atMost(Duration.ofSeconds(30))
                .until(() -> a.member().hazelcast().getPartitionService().isClusterSafe());

        Node c = node(1); // a new member on B's port: a broker restarted with a new member id

        assertThat(c.membersFor("late/1")).as("loaded when it joined").containsExactly(a.member().memberId());
    }
}
