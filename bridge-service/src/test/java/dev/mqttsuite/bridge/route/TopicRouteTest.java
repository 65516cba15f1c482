package dev.mqttsuite.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.topic.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRouteTest {

    @Test
    void prefixesAreSwappedInBothDirections() {
        TopicRoute r = TopicRoute.of("sensors/#", true, true, 1, "edge/", "site1/");
        assertThat(r.filterOn(Side.LOCAL).value()).isEqualTo("edge/sensors/#");
        assertThat(r.filterOn(Side.REMOTE).value()).isEqualTo("site1/sensors/#");
        assertThat(r.map(Side.LOCAL, "edge/sensors/t1")).isEqualTo("site1/sensors/t1");
        assertThat(r.map(Side.REMOTE, "site1/sensors/t1")).isEqualTo("edge/sensors/t1");
    }

    @Test
    void emptyPrefixesKeepTopics() {
        TopicRoute r = TopicRoute.of("a/+", true, false, 0, "", "");
        assertThat(r.map(Side.LOCAL, "a/b")).isEqualTo("a/b");
        assertThat(r.covers(Side.LOCAL, TopicName.of("a/b"))).isTrue();
        assertThat(r.covers(Side.LOCAL, TopicName.of("a/b/c"))).isFalse();
    }

    @Test
    void invalidRulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TopicRoute.of("a/#/b", true, true, 1, "", ""))
                .hasMessageContaining("not a valid topic filter");
        assertThatThrownBy(() -> TopicRoute.of("a", true, true, 1, "x/+/", ""))
                .hasMessageContaining("local-prefix");
        assertThatThrownBy(() -> TopicRoute.of("a", true, true, 1, "", "#"))
                .hasMessageContaining("remote-prefix");
        assertThatThrownBy(() -> TopicRoute.of("a", true, true, 2, "", "")).hasMessageContaining("qos=2");
        assertThatThrownBy(() -> TopicRoute.of("$share/g/a", true, true, 1, "", ""))
                .hasMessageContaining("shared");
    }

    @Test
    void theFirstMatchingRuleOfTheRightDirectionRoutes() {
        Routes routes = new Routes(List.of(
                TopicRoute.of("cmd/#", false, true, 1, "", "site1/"),
                TopicRoute.of("#", true, false, 0, "", "all/")));
        assertThat(routes.routeFrom(Side.LOCAL, TopicName.of("cmd/x")).orElseThrow().map(Side.LOCAL, "cmd/x"))
                .isEqualTo("all/cmd/x");
        assertThat(routes.routeFrom(Side.REMOTE, TopicName.of("site1/cmd/x")).orElseThrow()
                .map(Side.REMOTE, "site1/cmd/x")).isEqualTo("cmd/x");
        assertThat(routes.routeFrom(Side.REMOTE, TopicName.of("other"))).isEmpty();
        // an echo comes back only where a rule subscribes
        assertThat(routes.echoExpected(Side.REMOTE, TopicName.of("all/cmd/x"))).isFalse();
        assertThat(routes.echoExpected(Side.LOCAL, TopicName.of("cmd/x"))).isTrue();
    }
}
