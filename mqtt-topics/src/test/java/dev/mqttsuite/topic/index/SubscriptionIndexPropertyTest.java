package dev.mqttsuite.topic.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.topic.RandomTopics;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: after any random sequence of subscribe/unsubscribe (overlapping filters, replacements, shared groups),
 * the index reports exactly what a naive reference (a list checked filter by filter) reports, for every topic.
 */
class SubscriptionIndexPropertyTest {

    private static final List<TopicName> UNIVERSE = RandomTopics.allTopics(4);

    static LongStream seeds() {
        return LongStream.range(0, 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperations_matchTheNaiveReference(long seed) {
        RandomTopics random = new RandomTopics(seed);
        SubscriptionIndex<String, Integer> index = new SubscriptionIndex<>();
        ReferenceIndex reference = new ReferenceIndex();
        for (int op = 0; op < 300; op++) {
            String subscriber = "c" + random.random().nextInt(8);
            SubscriptionTopic topic = randomSubscription(random);
            if (random.random().nextInt(3) == 0) {
                Integer removed = index.unsubscribe(subscriber, topic);
                assertThat(removed).as("seed %d op %d unsubscribe %s %s", seed, op, subscriber, topic)
                        .isEqualTo(reference.unsubscribe(subscriber, topic));
            } else {
                int options = random.random().nextInt(3);
                Integer replaced = index.subscribe(subscriber, topic, options);
                assertThat(replaced).as("seed %d op %d subscribe %s %s", seed, op, subscriber, topic)
                        .isEqualTo(reference.subscribe(subscriber, topic, options));
            }
            if (op % 30 == 29) {
                assertSameMatches(seed, index, reference);
            }
        }
        assertSameMatches(seed, index, reference);
        assertThat(index.size()).isEqualTo(reference.size());
    }

    static SubscriptionTopic randomSubscription(RandomTopics random) {
        TopicFilter filter = random.filter(3);
        if (random.random().nextInt(5) == 0) {
            return SharedSubscription.of("g" + random.random().nextInt(2), filter);
        }
        return filter;
    }

    static void assertSameMatches(long seed, SubscriptionIndex<String, Integer> index, ReferenceIndex reference) {
        for (TopicName topic : UNIVERSE) {
            SubscriptionIndex.Matches<String, Integer> actual = index.match(topic);
            List<String> plain = actual.subscriptions().stream()
                    .map(m -> m.subscriber() + ":" + m.options())
                    .sorted()
                    .toList();
            assertThat(plain).as("seed %d: plain matches of %s", seed, topic).isEqualTo(reference.plainMatches(topic));
            Set<ReferenceIndex.GroupView> groups = actual.sharedGroups().stream()
                    .map(ReferenceIndex.GroupView::of)
                    .collect(Collectors.toSet());
            assertThat(groups).as("seed %d: shared groups of %s", seed, topic)
                    .hasSize(actual.sharedGroups().size())
                    .isEqualTo(reference.sharedMatches(topic));
        }
    }
}
