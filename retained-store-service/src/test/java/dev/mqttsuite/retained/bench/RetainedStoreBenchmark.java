package dev.mqttsuite.retained.bench;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.topic.TopicFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Loads 10^6 retained topics into the embedded engine and prints: load rate, heap per entry beyond the payload,
 * and match latency for {@code #}, {@code a/+/c/#}-style and exact filters. A benchmark that prints numbers, not a test.
 *
 * <p>Run: {@code scripts/bench-retained.sh} (or with the test classpath: {@code java -Xmx4g ... RetainedStoreBenchmark}).
 */
public final class RetainedStoreBenchmark {

    private static final int SITES = 100;
    private static final int DEVICES_PER_SITE = 1000;
    private static final int METRICS = 10;

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : SITES * DEVICES_PER_SITE * METRICS;
        int payloadSize = 16;
        Path dir = Files.createTempDirectory("retained-bench");
        AppendLogRepository store = new AppendLogRepository(dir, false, Long.MAX_VALUE,
                new AppendLogRepository.Limits(1 << 20, 10_000_000, 1L << 34));
        byte[] payload = new byte[payloadSize];
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        List<CompletableFuture<Boolean>> window = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int site = i % SITES;
            int device = (i / SITES) % DEVICES_PER_SITE;
            int metric = i / (SITES * DEVICES_PER_SITE);
            String topic = "site" + site + "/dev" + device + "/metric" + metric;
            window.add(store.put(RetainedMessage.newBuilder().setTopic(topic).setQos(1)
                    .setPayload(ByteString.copyFrom(payload)).build()).toCompletableFuture());
            if (window.size() == 10_000) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = usedHeap();
        long perEntry = (heapAfter - heapBefore) / total - payloadSize;
        System.out.printf("loaded %,d retained topics in %.1f s (%,.0f puts/s, sync=write, batch-acknowledged)%n",
                total, loadSeconds, total / loadSeconds);
        System.out.printf("heap beyond the payload: %,d bytes per entry (topic string, trie node, message object)%n",
                perEntry);
        System.out.printf("log on disk: %,d bytes%n", store.logSize());

        measure(store, "#", 3);
        measure(store, "site7/+/metric3", 20);
        measure(store, "site7/#", 20);
        measure(store, "+/dev500/metric9", 20);
        measure(store, "site42/dev123/metric4", 2000);
        store.close();
    }

    private static void measure(AppendLogRepository store, String filter, int runs) {
        TopicFilter parsed = TopicFilter.of(filter);
        long[] nanos = new long[runs];
        int matches = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            Iterator<RetainedMessage> it = store.match(parsed);
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            nanos[r] = System.nanoTime() - t0;
            matches = n;
        }
        Arrays.sort(nanos);
        long median = nanos[runs / 2];
        System.out.printf("match %-24s %,9d results  median %,10.3f ms  (%,.0f results/s)%n", filter, matches,
                median / 1e6, matches == 0 ? 0 : matches / (median / 1e9));
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200); // let the collector settle before reading the heap (measurement, not a test)
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
