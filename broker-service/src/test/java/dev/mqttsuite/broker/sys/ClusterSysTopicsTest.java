package dev.mqttsuite.broker.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The $SYS/cluster/... topics built from the members' figures. */
class ClusterSysTopicsTest {

    @Test
    void givenTwoMembersFigures_thenTheTotalsAddThemUp_andEachMemberHasItsOwnTopicsUnderItsNodeId() {
        Map<String, String> values = new LinkedHashMap<>();
        ClusterSysTopics.put(values, 3, List.of(new NodeCounts("broker-2", 5, 7, 11, 100, 200),
                new NodeCounts("broker-1", 1, 2, 3, 10, 20)));

        assertThat(values).containsEntry("$SYS/cluster/members", "3")
                .containsEntry("$SYS/cluster/clients/connected", "6")
                .containsEntry("$SYS/cluster/clients/total", "9")
                .containsEntry("$SYS/cluster/subscriptions/count", "14")
                .containsEntry("$SYS/cluster/messages/received", "110")
                .containsEntry("$SYS/cluster/messages/sent", "220")
                .containsEntry("$SYS/cluster/nodes/broker-1/clients/connected", "1")
                .containsEntry("$SYS/cluster/nodes/broker-2/clients/total", "7")
                .containsEntry("$SYS/cluster/nodes/broker-2/subscriptions/count", "11")
                .containsEntry("$SYS/cluster/nodes/broker-1/messages/received", "10")
                .containsEntry("$SYS/cluster/nodes/broker-2/messages/sent", "200")
                .hasSize(6 + 2 * 5);
        assertThat(values.keySet().stream().filter(t -> t.startsWith("$SYS/cluster/nodes/")).findFirst())
                .as("members in node id order").hasValue("$SYS/cluster/nodes/broker-1/clients/connected");
    }

    @Test
    void givenANodeIdWithTopicCharacters_thenItBecomesOneTopicLevel() {
        Map<String, String> values = new LinkedHashMap<>();
        ClusterSysTopics.put(values, 1, List.of(new NodeCounts("eu/a+b#", 1, 0, 0, 0, 0)));
        assertThat(values).containsEntry("$SYS/cluster/nodes/eu_a_b_/clients/connected", "1");
    }
}
