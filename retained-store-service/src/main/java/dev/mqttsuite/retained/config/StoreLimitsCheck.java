package dev.mqttsuite.retained.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses limits the store cannot honour: non-positive values, a payload limit above the gRPC message limit, and, for
 * the embedded log (which keeps every retained message in the heap), limits whose full use would not fit in the heap.
 * Failing at the first start names the settings to fix; accepting them would let the store grow until the JVM runs out
 * of memory and the pod restarts into the same data over and over (a crash loop against its memory limit).
 */
public final class StoreLimitsCheck {

    /**
     * Heap a retained message costs beyond its payload in the embedded log's index (topic string, trie node, message
     * object, map entry): a deliberately generous estimate.
     */
    public static final long OVERHEAD_PER_MESSAGE = 512;

    /** Share of the maximum heap the index may take at its limits; the rest is for gRPC, HTTP, compaction and GC. */
    public static final double HEAP_SHARE = 0.8;

    private StoreLimitsCheck() {
    }

    /**
     * What is wrong with the limits, each message naming its setting; empty when they are safe.
     *
     * @param maxHeap the JVM's maximum heap ({@code Runtime.maxMemory()})
     * @param maxInboundMessage {@code quarkus.grpc.server.max-inbound-message-size}
     */
    public static List<String> problems(StoreConfig.Storage storage, int maxPayloadSize, long maxCount,
            long maxTotalBytes, long maxHeap, long maxInboundMessage) {
        List<String> problems = new ArrayList<>();
        if (maxPayloadSize <= 0) {
            problems.add("retained.limits.max-payload-size=" + maxPayloadSize + " must be positive");
        } else if (maxPayloadSize >= maxInboundMessage) {
            problems.add("retained.limits.max-payload-size=" + maxPayloadSize + " must stay below"
                    + " quarkus.grpc.server.max-inbound-message-size=" + maxInboundMessage
                    + " (so that oversize puts get the store's own error)");
        }
        if (maxCount <= 0) {
            problems.add("retained.limits.max-count=" + maxCount + " must be positive");
        }
        if (maxTotalBytes <= 0) {
            problems.add("retained.limits.max-total-bytes=" + maxTotalBytes + " must be positive");
        }
        if (storage == StoreConfig.Storage.LOG && problems.isEmpty()) {
            long needed = heapNeeded(maxCount, maxTotalBytes);
            long budget = (long) (maxHeap * HEAP_SHARE);
            if (needed > budget) {
                problems.add(String.format("retained.limits.max-total-bytes=%d and retained.limits.max-count=%d need"
                        + " about %d MiB of heap when full (payloads + %d B per message), more than %d%% of the"
                        + " maximum heap (%d MiB): lower them or give the store more memory (-Xmx / the pod's limit)",
                        maxTotalBytes, maxCount, needed >> 20, OVERHEAD_PER_MESSAGE, (int) (HEAP_SHARE * 100),
                        maxHeap >> 20));
            }
        }
        return problems;
    }

    /** Heap the embedded log's index takes when both limits are reached. */
    public static long heapNeeded(long maxCount, long maxTotalBytes) {
        long overhead = maxCount > Long.MAX_VALUE / OVERHEAD_PER_MESSAGE ? Long.MAX_VALUE
                : maxCount * OVERHEAD_PER_MESSAGE;
        return overhead > Long.MAX_VALUE - maxTotalBytes ? Long.MAX_VALUE : overhead + maxTotalBytes;
    }
}
