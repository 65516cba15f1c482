package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.cluster.v1.ClusterMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The bounded window of one peer link: messages admitted (waiting to be sent, or sent and not yet acknowledged) never
 * exceed {@code window}. Beyond it a QoS 0 message is dropped; a QoS 1/2 message waits outside the window with its
 * publisher's acknowledgement, and is admitted in order as acknowledgements free room, so a stalled peer pauses QoS
 * 1/2 publishers (each at its Receive Maximum) instead of growing memory. Once anything waits, nothing overtakes it:
 * order per publisher and topic is kept.
 *
 * <p>Not thread-safe: the owning {@link PeerLink} calls it under its lock. Futures are returned, never completed here,
 * so that the caller completes them outside the lock.
 */
final class ForwardWindow {

    /** A message admitted or waiting, and the stage its publisher's acknowledgement waits for (null for QoS 0). */
    record Entry(ClusterMessage message, CompletableFuture<Void> accepted) {
    }

    /** A frame sent and not yet acknowledged, kept for resending on a new stream. */
    record Batch(long sequence, List<ClusterMessage> messages, List<CompletableFuture<Void>> accepted,
            long sentAtNanos) {
    }

    /** What became of an offered message. */
    enum Admission {
        /** In the window: sent with the next frame. */
        ADMITTED,
        /** QoS 1/2 beyond the window: admitted in order when acknowledgements free room. */
        WAITING,
        /** QoS 0 beyond the window: dropped. */
        DROPPED
    }

    private final int window;
    private final int batchSize;
    private final int batchBytes;
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private final ArrayDeque<Batch> unacked = new ArrayDeque<>();
    private int admitted;
    private long nextSequence = 1;

    ForwardWindow(int window, int batchSize, int batchBytes) {
        if (window < 1 || batchSize < 1 || batchBytes < 1) {
            throw new IllegalArgumentException("window, batch size and batch bytes must be positive");
        }
        this.window = window;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
    }

    /**
     * Offers a message.
     *
     * @param accepted completed when the peer acknowledged the message; null for QoS 0
     */
    Admission offer(ClusterMessage message, CompletableFuture<Void> accepted) {
        if (waiting.isEmpty() && admitted < window) {
            ready.add(new Entry(message, accepted));
            admitted++;
            return Admission.ADMITTED;
        }
        if (accepted == null) {
            return Admission.DROPPED;
        }
        waiting.add(new Entry(message, accepted));
        return Admission.WAITING;
    }

    /** The next frame to send (it becomes unacknowledged), or null when nothing is ready. */
    Batch nextBatch(long nowNanos) {
        if (ready.isEmpty()) {
            return null;
        }
        List<ClusterMessage> messages = new ArrayList<>(Math.min(ready.size(), batchSize));
        List<CompletableFuture<Void>> accepted = null;
        long bytes = 0;
        while (!ready.isEmpty() && messages.size() < batchSize) {
            Entry next = ready.peek();
            int size = next.message().getPayload().size();
            if (!messages.isEmpty() && bytes + size > batchBytes) {
                break;
            }
            ready.poll();
            messages.add(next.message());
            bytes += size;
            if (next.accepted() != null) {
                if (accepted == null) {
                    accepted = new ArrayList<>();
                }
                accepted.add(next.accepted());
            }
        }
        Batch batch = new Batch(nextSequence++, messages, accepted == null ? List.of() : accepted, nowNanos);
        unacked.add(batch);
        return batch;
    }

    /**
     * The peer routed every frame up to {@code sequence}: they leave the window and waiting messages move in.
     *
     * @return the frames acknowledged now, oldest first (their stages are for the caller to complete)
     */
    List<Batch> acknowledge(long sequence) {
        if (unacked.isEmpty() || unacked.peek().sequence() > sequence) {
            return List.of();
        }
        List<Batch> done = new ArrayList<>(2);
        while (!unacked.isEmpty() && unacked.peek().sequence() <= sequence) {
            Batch batch = unacked.poll();
            admitted -= batch.messages().size();
            done.add(batch);
        }
        while (!waiting.isEmpty() && admitted < window) {
            ready.add(waiting.poll());
            admitted++;
        }
        return done;
    }

    /** Frames sent on a stream that broke and not acknowledged: they go again, same sequence, on the next stream. */
    List<Batch> unacknowledged() {
        return unacked.isEmpty() ? List.of() : List.copyOf(unacked);
    }

    /**
     * The peer is gone (left the cluster): everything is released and the stages of QoS 1/2 messages returned. Its
     * sessions left with it, so there is nobody left to deliver to (phase 1 keeps no replica of them).
     */
    List<CompletableFuture<Void>> release() {
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        unacked.forEach(b -> stages.addAll(b.accepted()));
        ready.forEach(e -> addIfAny(stages, e));
        waiting.forEach(e -> addIfAny(stages, e));
        unacked.clear();
        ready.clear();
        waiting.clear();
        admitted = 0;
        return stages.isEmpty() ? Collections.emptyList() : stages;
    }

    private static void addIfAny(List<CompletableFuture<Void>> stages, Entry entry) {
        if (entry.accepted() != null) {
            stages.add(entry.accepted());
        }
    }

    /** Admitted, not yet sent. */
    int ready() {
        return ready.size();
    }

    /** QoS 1/2 messages beyond the window. */
    int waiting() {
        return waiting.size();
    }

    /** Sent and not yet acknowledged. */
    int inFlight() {
        return admitted - ready.size();
    }

    /** Admitted messages: never above the window. */
    int admitted() {
        return admitted;
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }
}
