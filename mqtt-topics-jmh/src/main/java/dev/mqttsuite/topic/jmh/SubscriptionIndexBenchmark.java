package dev.mqttsuite.topic.jmh;

import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.MatchVisitor;
import dev.mqttsuite.topic.index.SharedGroup;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Match and subscribe/unsubscribe throughput of {@link SubscriptionIndex} with 10^4..10^6 subscriptions.
 *
 * <p>Run: {@code java -jar mqtt-topics-jmh/target/benchmarks.jar SubscriptionIndexBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class SubscriptionIndexBenchmark {

    @Param({"10000", "100000", "1000000"})
    public int subscriptions;

    private SubscriptionIndex<Integer, Integer> index;
    private TopicName[] publishTopics;
    private TopicFilter[] churnFilters;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        index = new SubscriptionIndex<>();
        for (int i = 0; i < subscriptions; i++) {
            SplittableRandom random = new SplittableRandom(i);
            String topic = SubscriptionWorkload.topic(i, random);
            index.subscribe(i, SubscriptionWorkload.filterFor(topic, random), i & 3);
        }
        publishTopics = SubscriptionWorkload.publishTopics(subscriptions, 4096, 42);
        churnFilters = new TopicFilter[4096];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < churnFilters.length; i++) {
            int id = subscriptions + i;
            churnFilters[i] = SubscriptionWorkload.filterFor(SubscriptionWorkload.topic(id, random), random);
        }
    }

    /** One publish: find every matching subscription. */
    @Benchmark
    public void match(Blackhole blackhole) {
        TopicName topic = publishTopics[ThreadLocalRandom.current().nextInt(4096)];
        index.match(topic, new MatchVisitor<>() {
            @Override
            public void onSubscription(Integer subscriber, Integer options) {
                blackhole.consume(subscriber);
            }

            @Override
            public void onSharedGroup(SharedGroup<Integer, Integer> group) {
                blackhole.consume(group);
            }
        });
    }

    /** One subscribe plus one unsubscribe of a new filter in a populated index (ops/s counts pairs). */
    @Benchmark
    public Integer subscribeUnsubscribe() {
        int i = cursor++ & 4095;
        Integer subscriber = -1 - i;
        index.subscribe(subscriber, churnFilters[i], 1);
        return index.unsubscribe(subscriber, churnFilters[i]);
    }

    /** Matching from two threads at once, as two event loops do. */
    @Benchmark
    @org.openjdk.jmh.annotations.Threads(2)
    public void matchTwoThreads(Blackhole blackhole) {
        match(blackhole);
    }
}
