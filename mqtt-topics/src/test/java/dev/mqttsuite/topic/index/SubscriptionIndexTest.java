package dev.mqttsuite.topic.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.TopicRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

    private final SubscriptionIndex<String, Integer> index = new SubscriptionIndex<>(8);

    private void subscribe(String subscriber, String topic, int options) {
        index.subscribe(subscriber, SubscriptionTopic.parse(topic), options);
    }

    private List<String> plain(String topic) {
        return index.match(TopicName.of(topic)).subscriptions().stream()
                .map(m -> m.subscriber() + ":" + m.options())
                .sorted()
                .toList();
    }

    @Test
    void givenExactPlusAndHashFilters_whenMatching_thenEveryMatchingSubscriptionIsReported() {
        subscribe("exact", "sport/tennis/player1", 0);
        subscribe("plus", "sport/+/player1", 1);
        subscribe("hash", "sport/#", 2);
        subscribe("other", "news/#", 0);
        assertThat(plain("sport/tennis/player1")).containsExactly("exact:0", "hash:2", "plus:1");
        assertThat(plain("sport")).as("'sport/#' matches 'sport' [MQTT-4.7.1-2]").containsExactly("hash:2");
        assertThat(plain("weather")).isEmpty();
    }

    @Test
    void givenLeadingWildcards_whenMatchingDollarTopic_thenTheyDoNotMatch_MQTT_4_7_2_1() {
        subscribe("all", "#", 0);
        subscribe("plus", "+/broker/uptime", 0);
        subscribe("sys", "$SYS/#", 0);
        assertThat(plain("$SYS/broker/uptime")).containsExactly("sys:0");
    }

    @Test
    void givenSameSubscriberAndFilter_whenSubscribingAgain_thenOptionsAreReplaced_MQTT_3_8_4_3() {
        assertThat(index.subscribe("c", SubscriptionTopic.parse("a/b"), 0)).isNull();
        assertThat(index.subscribe("c", SubscriptionTopic.parse("a/b"), 2)).isEqualTo(0);
        assertThat(plain("a/b")).containsExactly("c:2");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void givenOverlappingFilters_ofOneSubscriber_thenEachIsReported_forTheBrokerToMerge() {
        subscribe("c", "a/+", 0);
        subscribe("c", "a/#", 1);
        assertThat(plain("a/b")).containsExactly("c:0", "c:1");
    }

    @Test
    void unsubscribe_returnsRemovedOptions_orNullWhenThereWasNone() {
        subscribe("c", "a/b/c", 1);
        assertThat(index.unsubscribe("c", SubscriptionTopic.parse("a/b/c"))).isEqualTo(1);
        assertThat(index.unsubscribe("c", SubscriptionTopic.parse("a/b/c"))).isNull();
        assertThat(index.unsubscribe("c", SubscriptionTopic.parse("x/y"))).isNull();
        assertThat(plain("a/b/c")).isEmpty();
        assertThat(index.size()).isZero();
    }

    @Test
    void givenFilterDeeperThanTheCap_whenSubscribing_thenRejectedWithMaxLevels() {
        assertThatThrownBy(() -> subscribe("c", "1/2/3/4/5/6/7/8/9", 0))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("9 levels, maximum 8")
                .extracting(e -> ((InvalidTopicException) e).rule())
                .isEqualTo(TopicRule.MAX_LEVELS);
        subscribe("c", "1/2/3/4/5/6/7/#", 0);
        assertThat(plain("1/2/3/4/5/6/7/8/9/10")).as("deeper topics still match '#'").containsExactly("c:0");
    }

    @Test
    void sharedGroups_areKeptPerShareNameAndFilter_andSeparateFromPlainSubscriptions() {
        subscribe("a", "$share/g1/sensors/#", 0);
        subscribe("b", "$share/g1/sensors/#", 1);
        subscribe("c", "$share/g2/sensors/#", 0);
        subscribe("d", "$share/g1/sensors/+", 0);
        subscribe("p", "sensors/#", 0);
        SubscriptionIndex.Matches<String, Integer> matches = index.match(TopicName.of("sensors/t"));
        assertThat(matches.subscriptions()).extracting(SharedGroup.Member::subscriber).containsExactly("p");
        assertThat(matches.sharedGroups())
                .extracting(g -> g.shareName() + " " + g.filter() + " " + g.size())
                .containsExactlyInAnyOrder("g1 sensors/# 2", "g2 sensors/# 1", "g1 sensors/+ 1");
    }

    @Test
    void sharedGroupNext_isRoundRobin_andSkipsIneligibleMembers() {
        subscribe("a", "$share/g/t", 0);
        subscribe("b", "$share/g/t", 0);
        subscribe("c", "$share/g/t", 0);
        SharedGroup<String, Integer> group = index.match(TopicName.of("t")).sharedGroups().get(0);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(group.next(m -> true).subscriber());
        }
        assertThat(picked).containsExactlyInAnyOrder("a", "a", "b", "b", "c", "c");
        for (int i = 0; i < 6; i++) {
            assertThat(group.next(m -> !m.subscriber().equals("b")).subscriber()).isNotEqualTo("b");
        }
        assertThat(group.next(m -> false)).isNull();
    }

    @Test
    void lastSharedMemberLeaving_removesTheGroup() {
        subscribe("a", "$share/g/t", 0);
        index.unsubscribe("a", SubscriptionTopic.parse("$share/g/t"));
        assertThat(index.match(TopicName.of("t")).sharedGroups()).isEmpty();
        assertThat(index.size()).isZero();
    }

    @Test
    void invalidDepthCap_isRefused() {
        assertThatThrownBy(() -> new SubscriptionIndex<String, Integer>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLevels");
    }
}
