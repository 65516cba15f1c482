package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.IMap;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.log.LogRecord;
import dev.mqttsuite.broker.session.log.RecordingJournal;
import dev.mqttsuite.broker.session.log.SessionRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * Ships the records of this broker's persistent sessions to their replicas in the replica map
 * (docs/adr/0017-cluster-session-replication.md): the same records the session log writes, applied by
 * {@link ReplicaUpdate} on the key's partition and its synchronous backup.
 *
 * <p>Like the log's writer, callers only queue a record (under the session's lock, so one session's records keep
 * their order); one thread takes everything queued, groups it per client id, sends one update per session and waits
 * for all of them; barriers queued behind those records complete after that. Rounds form by themselves under load:
 * while one is in flight, the next gathers. Each record carries the epoch of this broker's claim of its client id when
 * it was made, so a replica written under a newer claim refuses it.
 */
public final class SessionReplicator extends RecordingJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionReplicator.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Object STOP = new Object();
    /** How long a failed record can still fail the barrier of the thread that appended it. */
    private static final long FAILURE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private record Item(LogRecord record, long epoch, long seq) {
    }

    /** A whole state to start the replica from. */
    private record Reset(String clientId, long epoch, SessionState state, long seq) {
    }

    /** Completes when the records {@code first..last} (this caller's, 0: none) are accepted, or fails if one was not. */
    private record Barrier(CompletableFuture<Void> done, long first, long last) {
    }

    /** What one round sends for one client id. */
    private static final class Batch {
        long epoch = Long.MIN_VALUE;
        byte[] reset;
        final List<LogRecord> records = new ArrayList<>();
        final List<Long> seqs = new ArrayList<>();
        boolean carriesMessages;
    }

    /** The sequence numbers of the records this thread appended since its last barrier: {first, last}. */
    private final ThreadLocal<long[]> unbarriered = ThreadLocal.withInitial(() -> new long[2]);
    private final AtomicLong appended = new AtomicLong();
    /** Sequence numbers of records whose update failed (kept a while for the barriers that cover them). */
    private final ConcurrentSkipListMap<Long, Long> failed = new ConcurrentSkipListMap<>();

    private final IMap<String, Replica> replicas;
    private final String incarnation;
    private final ToLongFunction<String> epochs;
    private final Duration timeout;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final Thread sender;
    private final Counter bytes;
    private final Counter updates;
    private final Counter failures;
    private final Counter fenced;
    private final Timer round;

    /**
     * @param epochs the epoch of this broker's claim of a client id (-1: none)
     * @param timeout how long a round may take before its barriers fail
     */
    public SessionReplicator(IMap<String, Replica> replicas, String incarnation, ToLongFunction<String> epochs,
            Duration timeout, MeterRegistry registry) {
        this.replicas = replicas;
        this.incarnation = incarnation;
        this.epochs = epochs;
        this.timeout = timeout;
        bytes = Counter.builder("mqtt.cluster.replication.bytes").baseUnit("bytes")
                .description("Session records shipped to replicas").register(registry);
        updates = Counter.builder("mqtt.cluster.replication.updates")
                .description("Replica updates (one per session and round) accepted").register(registry);
        failures = Counter.builder("mqtt.cluster.replication.failures")
                .description("Replica updates that failed (their acknowledgements were refused)").register(registry);
        fenced = Counter.builder("mqtt.cluster.replication.fenced")
                .description("Replica updates refused because a newer claim owns the session").register(registry);
        round = Timer.builder("mqtt.cluster.replication.round")
                .description("One replication round: records queued to all replicas acknowledged (the lag an"
                        + " acknowledgement waits for)").register(registry);
        Gauge.builder("mqtt.cluster.replication.pending", pending, AtomicLong::get)
                .description("Session records not yet accepted by their replica").register(registry);
        sender = new Thread(this::sendLoop, "mqtt-cluster-replicator");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    protected void append(LogRecord record) {
        pending.incrementAndGet();
        long seq = appended.incrementAndGet();
        mark(seq);
        queue.add(new Item(record, epochs.applyAsLong(record.clientId()), seq));
    }

    private void mark(long seq) {
        long[] range = unbarriered.get();
        if (range[0] == 0) {
            range[0] = seq;
        }
        range[1] = seq;
    }

    /** Replaces a session's replica by its whole state (a session restored from disk, once claimed at {@code epoch}). */
    void reset(String clientId, long epoch, SessionState state) {
        pending.incrementAndGet();
        queue.add(new Reset(clientId, epoch, state, appended.incrementAndGet()));
    }

    /** Deletes a session's replica under this broker's claim at {@code epoch} (older writers are fenced by it). */
    void drop(String clientId, long epoch) {
        pending.incrementAndGet();
        queue.add(new Item(new LogRecord.Ended(clientId), epoch, appended.incrementAndGet()));
    }

    /**
     * Completes when the records this thread appended since its previous barrier are accepted by their replicas (the
     * publisher's records, appended on its event loop just before), and fails if one of them was refused or lost.
     */
    @Override
    public CompletionStage<Void> barrier() {
        long[] range = unbarriered.get();
        long first = range[0];
        long last = range[1];
        range[0] = 0;
        if (pending.get() == 0) {
            return outcome(first, last) == null ? DONE : CompletableFuture.failedFuture(notDurable(first, last));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Barrier(done, first, last));
        return done;
    }

    private String outcome(long first, long last) {
        if (first == 0) {
            return null;
        }
        Map.Entry<Long, Long> failure = failed.ceilingEntry(first);
        return failure != null && failure.getKey() <= last ? "the replica did not accept a session record" : null;
    }

    private static SessionJournal.NotDurable notDurable(long first, long last) {
        return new SessionJournal.NotDurable(SessionJournal.Refusal.UNAVAILABLE, "session records " + first + ".."
                + last + " not accepted by their replica (replication failed, or a newer claim owns the session)");
    }

    @Override
    public boolean durable() {
        return true;
    }

    // ---- sender thread ------------------------------------------------------------------------------------------

    private void sendLoop() {
        List<Object> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken);
            boolean stop = taken.remove(STOP);
            sendRound(taken);
            taken.clear();
            if (stop) {
                return;
            }
        }
    }

    private void sendRound(List<Object> taken) {
        long start = System.nanoTime();
        Map<String, Batch> batches = new LinkedHashMap<>();
        List<Barrier> barriers = new ArrayList<>();
        long records = 0;
        for (Object item : taken) {
            switch (item) {
                case Item i -> {
                    Batch batch = batches.computeIfAbsent(i.record().clientId(), id -> new Batch());
                    batch.records.add(i.record());
                    batch.epoch = Math.max(batch.epoch, i.epoch());
                    batch.seqs.add(i.seq());
                    batch.carriesMessages |= i.record() instanceof LogRecord.Queued
                            || i.record() instanceof LogRecord.Sent;
                    records++;
                }
                case Reset r -> {
                    Batch batch = batches.computeIfAbsent(r.clientId(), id -> new Batch());
                    batch.records.clear();
                    batch.reset = SessionSnapshot.encode(r.state());
                    batch.epoch = Math.max(batch.epoch, r.epoch());
                    batch.seqs.add(r.seq());
                    batch.carriesMessages = true;
                    records++;
                }
                case Barrier b -> barriers.add(b);
                default -> throw new IllegalStateException("unexpected " + item);
            }
        }
        batches.values().removeIf(batch -> coalesce(batch.records) && batch.records.isEmpty() && batch.reset == null);
        if (!batches.isEmpty()) {
            send(batches);
        }
        pending.addAndGet(-records);
        round.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (Barrier barrier : barriers) {
            if (outcome(barrier.first(), barrier.last()) == null) {
                barrier.done().complete(null);
            } else {
                barrier.done().completeExceptionally(notDurable(barrier.first(), barrier.last()));
            }
        }
        long now = System.nanoTime();
        failed.values().removeIf(at -> now - at > FAILURE_MEMORY_NANOS);
    }

    /**
     * Removes the records of every message that was queued and completed within this round (an online subscriber
     * acknowledged it before the round left): the replica never needs it, and an acknowledgement waiting for this round
     * is satisfied because the message was delivered. Returns whether anything was removed.
     */
    static boolean coalesce(List<LogRecord> records) {
        Set<Long> queued = new HashSet<>();
        Set<Long> done = new HashSet<>();
        for (LogRecord record : records) {
            if (record instanceof LogRecord.Queued q) {
                queued.add(q.id());
            } else if (record instanceof LogRecord.Completed c && queued.contains(c.id())) {
                done.add(c.id());
            }
        }
        return !done.isEmpty() && records.removeIf(record -> switch (record) {
            case LogRecord.Queued q -> done.contains(q.id());
            case LogRecord.Sent sent -> done.contains(sent.id());
            case LogRecord.Released released -> done.contains(released.id());
            case LogRecord.Completed c -> done.contains(c.id());
            default -> false;
        });
    }

    /** Sends one update per session and waits for all; the records of a failed one are remembered as failed. */
    private void send(Map<String, Batch> batches) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(batches.size());
        List<Batch> sent = new ArrayList<>(batches.size());
        for (Map.Entry<String, Batch> entry : batches.entrySet()) {
            Batch batch = entry.getValue();
            byte[] encoded = SessionRecords.encode(batch.records);
            bytes.increment(encoded.length + (batch.reset == null ? 0 : batch.reset.length));
            try {
                answers.add(replicas.submitToKey(entry.getKey(), new ReplicaUpdate(incarnation, batch.epoch,
                        batch.reset, encoded, SessionRecords.opens(batch.records))).toCompletableFuture());
            } catch (RuntimeException e) {
                answers.add(CompletableFuture.failedFuture(e));
            }
            sent.add(batch);
        }
        long now = System.nanoTime();
        for (int i = 0; i < answers.size(); i++) {
            Batch batch = sent.get(i);
            try {
                if (answers.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    updates.increment();
                } else {
                    fenced.increment(); // a stale owner: only a refused message must not be acknowledged
                    if (batch.carriesMessages) {
                        batch.seqs.forEach(seq -> failed.put(seq, now));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.seqs.forEach(seq -> failed.put(seq, now));
            } catch (Exception e) {
                failures.increment();
                batch.seqs.forEach(seq -> failed.put(seq, now));
                LOG.debugf("Replicating session records: %s", e.toString());
            }
        }
    }

    /** Sends what is queued, then stops. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            sender.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
