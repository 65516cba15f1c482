package dev.mqttsuite.broker.cluster.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.member.TestMembers;
import dev.mqttsuite.broker.sys.NodeCounts;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The members' $SYS figures shared through Hazelcast (embedded members in one JVM): every member sees every current
 * member's latest figures, a late joiner loads what is there, a departed member's figures go at once, and figures
 * nobody refreshes expire.
 */
@Timeout(120)
class HazelcastClusterCountsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration LONG_TTL = Duration.ofMinutes(5);

    private final TestMembers members = new TestMembers(3);

    @AfterEach
    void stop() {
        members.close();
    }

    private static NodeCounts figures(int node) {
        return new NodeCounts("node-" + node, node, 10L * node, 100L * node, 1000L * node, 10_000L * node);
    }

    private static Set<String> nodeIds(HazelcastClusterCounts counts) {
        return counts.nodes().stream().map(NodeCounts::nodeId).collect(Collectors.toSet());
    }

    private static long connected(HazelcastClusterCounts counts) {
        return counts.nodes().stream().mapToLong(NodeCounts::clientsConnected).sum();
    }

    @Test
    void givenThreeMembersSharing_thenEachSeesAllThree_aLateJoinerLoadsThem_andADepartedMembersFiguresGoEverywhere() {
        ClusterMember m1 = members.start(0);
        ClusterMember m2 = members.start(1);
        HazelcastClusterCounts c1 = new HazelcastClusterCounts(m1, LONG_TTL).start();
        HazelcastClusterCounts c2 = new HazelcastClusterCounts(m2, LONG_TTL).start();
        c1.share(figures(1));
        c2.share(figures(2));
        await("both see both").atMost(WAIT).until(() -> nodeIds(c1).equals(Set.of("node-1", "node-2"))
                && nodeIds(c2).equals(Set.of("node-1", "node-2")));
        assertThat(c1.nodes()).as("the figures as shared").contains(figures(2));

        ClusterMember m3 = members.start(2);
        await("three members").atMost(WAIT).until(() -> m1.size() == 3 && m3.size() == 3);
        HazelcastClusterCounts c3 = new HazelcastClusterCounts(m3, LONG_TTL).start();
        assertThat(nodeIds(c3)).as("a member that starts late loads the figures already shared")
                .containsExactlyInAnyOrder("node-1", "node-2");
        c3.share(figures(3));
        for (HazelcastClusterCounts counts : List.of(c1, c2, c3)) {
            await("every member sees all three").atMost(WAIT).until(() -> connected(counts) == 1 + 2 + 3);
        }
        c1.share(new NodeCounts("node-1", 7, 0, 0, 0, 0));
        await("a new round replaces the old figures").atMost(WAIT).until(() -> connected(c2) == 7 + 2 + 3);
        assertThat(c3.members()).isEqualTo(3);

        String departed = m3.memberId();
        m3.hazelcast().getLifecycleService().terminate(); // a crash: no goodbye
        await("the survivors drop the departed member's figures").atMost(WAIT)
                .until(() -> nodeIds(c1).equals(Set.of("node-1", "node-2"))
                        && nodeIds(c2).equals(Set.of("node-1", "node-2")));
        await("and its entry leaves the map").atMost(WAIT)
                .until(() -> !m1.hazelcast().getMap(HazelcastClusterCounts.MAP).containsKey(departed));
        assertThat(c1.members()).isEqualTo(2);
    }

    @Test
    void givenAMemberThatStopsSharing_thenItsFiguresExpireAfterTheTimeToLive() {
        ClusterMember m1 = members.start(0);
        ClusterMember m2 = members.start(1);
        HazelcastClusterCounts c1 = new HazelcastClusterCounts(m1, Duration.ofSeconds(2)).start();
        HazelcastClusterCounts c2 = new HazelcastClusterCounts(m2, LONG_TTL).start();
        c1.share(figures(1));
        c2.share(figures(2));
        await("node 2 sees node 1").atMost(WAIT).until(() -> nodeIds(c2).contains("node-1"));

        await("node 1's figures, not refreshed, expire although it is still a member").atMost(WAIT)
                .until(() -> nodeIds(c2).equals(Set.of("node-2")));
        assertThat(m2.isMember(m1.memberId())).isTrue();
    }

    @Test
    void theTimeToLiveIsThreeIntervalsAndAtLeastTenSeconds() {
        assertThat(HazelcastClusterCounts.ttlFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(HazelcastClusterCounts.ttlFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(30));
    }
}
