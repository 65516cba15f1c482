package dev.mqttsuite.topic.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.topic.RandomTopics;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thread-safety under contention: writers on several threads share trie nodes (small filter alphabet, constant
 * pruning and re-creation) while readers match; afterwards the index equals the union of the writers' own models.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionIndexConcurrencyTest {

    private static final int WRITERS = 4;
    private static final int OPS_PER_WRITER = 20_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void concurrentSubscribeUnsubscribeAndMatch_endInTheSameStateAsTheWritersModels(long seed) throws Exception {
        SubscriptionIndex<String, Integer> index = new SubscriptionIndex<>();
        ReferenceIndex union = new ReferenceIndex();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong matchesDone = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ReferenceIndex>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    RandomTopics random = new RandomTopics(seed * 100 + writer);
                    ReferenceIndex own = new ReferenceIndex();
                    start.await();
                    for (int op = 0; op < OPS_PER_WRITER; op++) {
                        String subscriber = "w" + writer + "-" + random.random().nextInt(3);
                        SubscriptionTopic topic = SubscriptionIndexPropertyTest.randomSubscription(random);
                        if (random.random().nextBoolean()) {
                            assertThat(index.unsubscribe(subscriber, topic)).isEqualTo(own.unsubscribe(subscriber, topic));
                        } else {
                            int options = random.random().nextInt(3);
                            assertThat(index.subscribe(subscriber, topic, options))
                                    .isEqualTo(own.subscribe(subscriber, topic, options));
                        }
                    }
                    return own;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int reader = r;
                readers.add(pool.submit(() -> {
                    RandomTopics random = new RandomTopics(seed * 1000 + reader);
                    start.await();
                    while (writing.get()) {
                        index.match(random.topic(4));
                        matchesDone.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<ReferenceIndex> writer : writers) {
                ReferenceIndex own = writer.get();
                own.copyInto(union);
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(matchesDone.get()).as("readers ran while writers wrote").isPositive();
        SubscriptionIndexPropertyTest.assertSameMatches(seed, index, union);
        assertThat(index.size()).isEqualTo(union.size());
    }

    /**
     * Pruning race: one thread keeps adding and removing a deep filter while another does the same on its prefix, so
     * the shared path is pruned and recreated constantly. A subscription that completed must never end up in a
     * detached node.
     */
    @Test
    void givenPruningOfASharedPath_whenSubscribingConcurrently_thenNoCompletedSubscriptionIsLost() throws Exception {
        SubscriptionIndex<String, Integer> index = new SubscriptionIndex<>();
        TopicFilter shallow = TopicFilter.of("a/b/c");
        TopicFilter deep = TopicFilter.of("a/b/c/d/e");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                CountDownLatch go = new CountDownLatch(1);
                Future<?> first = pool.submit(() -> churn(index, go, "x", shallow));
                Future<?> second = pool.submit(() -> churn(index, go, "y", deep));
                go.countDown();
                first.get();
                second.get();
                assertThat(index.match(TopicName.of("a/b/c")).subscriptions()).hasSize(1);
                assertThat(index.match(TopicName.of("a/b/c/d/e")).subscriptions()).hasSize(1);
                index.unsubscribe("x", shallow);
                index.unsubscribe("y", deep);
                assertThat(index.size()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Void churn(SubscriptionIndex<String, Integer> index, CountDownLatch go, String subscriber,
            TopicFilter filter) throws InterruptedException {
        go.await();
        for (int i = 0; i < 500; i++) {
            index.subscribe(subscriber, filter, i);
            index.unsubscribe(subscriber, filter);
        }
        index.subscribe(subscriber, filter, 0);
        return null;
    }
}
