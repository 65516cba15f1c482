package dev.mqttsuite.topic.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.topic.RandomTopics;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicTreeTest {

    private static final List<TopicName> UNIVERSE = RandomTopics.allTopics(4);

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void givenRandomPutsAndRemoves_whenMatchingAnyFilter_thenResultEqualsNaiveScan(long seed) {
        RandomTopics random = new RandomTopics(seed);
        TopicTree<String> tree = new TopicTree<>();
        Map<TopicName, String> reference = new HashMap<>();
        for (int op = 0; op < 200; op++) {
            TopicName topic = random.topic(4);
            if (random.random().nextInt(3) == 0) {
                assertThat(tree.remove(topic)).isEqualTo(reference.remove(topic));
            } else {
                String value = topic + "#" + op;
                assertThat(tree.put(topic, value)).isEqualTo(reference.put(topic, value));
            }
        }
        assertThat(tree.size()).isEqualTo(reference.size());
        for (int i = 0; i < 100; i++) {
            TopicFilter filter = random.filter(4);
            List<String> expected = reference.entrySet().stream()
                    .filter(e -> filter.matches(e.getKey()))
                    .map(Map.Entry::getValue)
                    .sorted()
                    .toList();
            assertThat(tree.match(filter).stream().sorted().toList())
                    .as("seed %d: %s", seed, filter)
                    .isEqualTo(expected);
        }
        for (TopicName topic : UNIVERSE) {
            assertThat(tree.get(topic)).isEqualTo(reference.get(topic));
        }
        List<String> all = new ArrayList<>();
        tree.iterator().forEachRemaining(all::add);
        assertThat(all).as("iterator returns every value, $ topics included")
                .containsExactlyInAnyOrderElementsOf(reference.values());
    }

    @Test
    void dollarTopics_areNotMatchedByLeadingWildcards_MQTT_4_7_2_1() {
        TopicTree<String> tree = new TopicTree<>();
        tree.put(TopicName.of("$SYS/uptime"), "sys");
        tree.put(TopicName.of("a/b"), "ab");
        assertThat(tree.match(TopicFilter.of("#"))).containsExactly("ab");
        assertThat(tree.match(TopicFilter.of("+/uptime"))).isEmpty();
        assertThat(tree.match(TopicFilter.of("$SYS/#"))).containsExactly("sys");
    }

    @Test
    void hashMatchesTheParentLevel_MQTT_4_7_1_2() {
        TopicTree<String> tree = new TopicTree<>();
        tree.put(TopicName.of("sport"), "parent");
        tree.put(TopicName.of("sport/tennis"), "child");
        assertThat(tree.match(TopicFilter.of("sport/#"))).containsExactlyInAnyOrder("parent", "child");
    }

    @Test
    void concurrentPutRemove_onSharedPrefixes_losesNoCompletedPut() throws Exception {
        TopicTree<Integer> tree = new TopicTree<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<TopicName, Integer>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    RandomTopics random = new RandomTopics(thread);
                    Map<TopicName, Integer> own = new HashMap<>();
                    for (int i = 0; i < 20_000; i++) {
                        TopicName topic = TopicName.of("t" + thread + "/" + random.topic(3).value());
                        if (random.random().nextBoolean()) {
                            tree.put(topic, i);
                            own.put(topic, i);
                        } else {
                            tree.remove(topic);
                            own.remove(topic);
                        }
                    }
                    return own;
                }));
            }
            Map<TopicName, Integer> all = new HashMap<>();
            for (Future<Map<TopicName, Integer>> f : futures) {
                all.putAll(f.get());
            }
            assertThat(tree.size()).isEqualTo(all.size());
            all.forEach((topic, value) -> assertThat(tree.get(topic)).as("%s", topic).isEqualTo(value));
            assertThat(tree.match(TopicFilter.of("#"))).hasSize(all.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
