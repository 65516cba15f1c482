package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The write-ahead session log ({@code broker.session.persistence=file}, docs/adr/0010): every change of a session
 * that outlives its connection is appended here before the client that caused it is acknowledged.
 *
 * <p>Callers (event loops, under a session's lock) only put a small record on a queue. One writer thread takes
 * everything queued, encodes it as one frame, writes it with one call and, under {@code fsync=batch}, forces it to
 * disk once: that is the group commit. Barriers queued behind the records complete after it, and the
 * acknowledgements waiting for them go out.
 *
 * <p>Compaction: at a size threshold the writer starts a new segment, then a background thread writes a snapshot of
 * the live sessions (each captured under its lock) as of that segment and deletes what came before. Because each
 * record sets or removes a key, replaying the new segment over a snapshot taken while it grew is exact.
 *
 * <p>Failures: an I/O error (a full disk included) refuses new QoS 1/2 messages for persistent sessions (0x97 for a
 * full disk or the disk budget, 0x80 otherwise) rather than acknowledging what might not be kept; every second a
 * compaction is tried, and its snapshot, taken from memory, also holds what the failed writes lost.
 */
public final class SessionLog extends RecordingJournal {

    private static final Logger LOG = Logger.getLogger(SessionLog.class);
    private static final Object STOP = new Object();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Settings of the log. */
    public record Options(Path dir, boolean fsync, long segmentBytes, long maxDiskBytes) {
    }

    /** What the log held at start: the sessions, and which of them had a connection when the broker stopped. */
    public record Recovery(List<SessionState> sessions, java.util.Set<String> attachedAtStop, long records,
            long millis) {
    }

    private record Barrier(CompletableFuture<Void> done) {
    }

    /** Starts a new segment here, then takes a snapshot. */
    private record Compact(CompletableFuture<Void> done) {
    }

    private final Options options;
    private final LogSegments files;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /**
     * A batch larger than this (a backlog behind a very slow disk) is written as several frames; only then can a
     * {@link #together} group span two frames.
     */
    private static final int FRAME_SPLIT_BYTES = 64 << 20;
    /** Appenders of a {@link #together} group share it; the writer takes it alone to form a batch. */
    private final ReentrantReadWriteLock groups = new ReentrantReadWriteLock();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean compacting = new AtomicBoolean();
    private final ExecutorService compactor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "session-log-compactor");
        t.setDaemon(true);
        return t;
    });
    private final ByteBuffer frameHeader = ByteBuffer.allocate(LogSegments.FRAME_HEADER);
    private final RecordCodec codec = new RecordCodec();
    private Thread writer;
    private volatile Supplier<Collection<Session>> sessions;

    // Writer thread state.
    private FileChannel channel;
    private long segment;
    private long segmentSize;

    // Sizes on disk, for the budget and the compaction trigger (updated by writer and compactor).
    private final AtomicLong segmentsBytes = new AtomicLong();
    private volatile long snapshotBytes;
    /** Bytes of log written since the last snapshot began. */
    private final AtomicLong sinceSnapshot = new AtomicLong();
    private volatile Refusal failure;
    private volatile long lastFailureLog;
    private volatile long lastBudgetCompaction;

    private final Counter commits;
    private final Counter written;
    private final Counter writeFailures;
    private final Counter compactions;
    private final Timer commitTime;

    public SessionLog(Options options, MeterRegistry registry) {
        this.options = options;
        this.files = new LogSegments(options.dir());
        commits = Counter.builder("mqtt.session.log.commits").description("Group commits of the session log")
                .register(registry);
        written = Counter.builder("mqtt.session.log.records").description("Records written to the session log")
                .register(registry);
        writeFailures = Counter.builder("mqtt.session.log.failures")
                .description("Failed writes or compactions of the session log").register(registry);
        compactions = Counter.builder("mqtt.session.log.compactions")
                .description("Snapshots written by the session log's compaction").register(registry);
        commitTime = Timer.builder("mqtt.session.log.commit").description("Write and fsync of one group commit")
                .register(registry);
        Gauge.builder("mqtt.session.log.disk", this, SessionLog::diskBytes).baseUnit("bytes")
                .description("Disk used by the session log (segments and snapshot)").register(registry);
        Gauge.builder("mqtt.session.log.disk.limit", options, Options::maxDiskBytes).baseUnit("bytes")
                .description("broker.session.log.max-disk-bytes").register(registry);
        Gauge.builder("mqtt.session.log.pending", pending, AtomicLong::get)
                .description("Records handed to the session log and not yet durable").register(registry);
        Gauge.builder("mqtt.session.log.refusing", this, log -> log.refusal() == null ? 0 : 1)
                .description("1 while the session log refuses QoS 1/2 messages for persistent sessions")
                .register(registry);
    }

    // ---- recovery and lifecycle ----------------------------------------------------------------------------------

    /**
     * Reads the newest snapshot and the segments after it. A torn or damaged tail is cut off with a log line; a
     * damaged snapshot stops the start with a message naming the file.
     *
     * @param legacy a snapshot of an older version ({@code sessions.snapshot}), used when the log is empty
     */
    public Recovery recover(Path legacy) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(options.dir());
        deleteTemporaryFiles();
        TreeMap<Long, Path> snapshots = files.snapshots();
        TreeMap<Long, Path> segments = files.segments();
        LogReplay replay = new LogReplay();
        long from = 0;
        if (!snapshots.isEmpty()) {
            Map.Entry<Long, Path> newest = snapshots.lastEntry();
            from = newest.getKey();
            try {
                replay.load(SessionSnapshot.read(newest.getValue()));
            } catch (IOException e) {
                throw new IOException("Cannot read the session log snapshot " + newest.getValue() + ": "
                        + e.getMessage() + "; move the directory " + options.dir() + " away to start without the"
                        + " sessions", e);
            }
            snapshotBytes = Files.size(newest.getValue());
        } else if (segments.isEmpty() && legacy != null && Files.exists(legacy)) {
            replay.load(SessionSnapshot.read(legacy));
            LOG.infof("Session log: starting from the snapshot of an earlier version %s", legacy);
        }
        long previous = -1;
        for (Map.Entry<Long, Path> e : segments.entrySet()) {
            if (e.getKey() < from) {
                Files.delete(e.getValue()); // before the snapshot: a compaction's leftover
                continue;
            }
            if (previous >= 0 && e.getKey() != previous + 1) {
                LOG.errorf("Session log: segment %d follows %d, segments in between are missing", e.getKey(),
                        previous);
            }
            previous = e.getKey();
            files.read(e.getValue(), records -> records.forEach(replay::apply));
            if (Files.exists(e.getValue())) {
                segmentsBytes.addAndGet(Files.size(e.getValue()));
            }
        }
        for (Map.Entry<Long, Path> e : snapshots.headMap(from).entrySet()) {
            Files.delete(e.getValue());
        }
        segment = Math.max(from, segments.isEmpty() ? 0 : segments.lastKey() + 1);
        sinceSnapshot.set(segmentsBytes.get());
        long now = System.currentTimeMillis();
        List<SessionState> states = replay.states(now);
        java.util.Set<String> attached = new java.util.HashSet<>();
        for (SessionState s : states) {
            if (replay.wasAttached(s.clientId())) {
                attached.add(s.clientId());
            }
        }
        return new Recovery(states, attached, replay.records(), (System.nanoTime() - start) / 1_000_000);
    }

    private void deleteTemporaryFiles() throws IOException {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(options.dir(), "*.tmp")) {
            for (Path file : tmp) {
                Files.delete(file);
            }
        }
    }

    /**
     * Starts writing: a new segment, the writer thread, and a first compaction (so the log starts from a snapshot of
     * what was just recovered).
     *
     * @param live the sessions, for snapshots
     */
    public CompletionStage<Void> start(Supplier<Collection<Session>> live) throws IOException {
        this.sessions = live;
        channel = files.create(segment);
        segmentSize = LogSegments.HEADER;
        segmentsBytes.addAndGet(segmentSize);
        writer = new Thread(this::writeLoop, "session-log-writer");
        writer.setDaemon(true);
        writer.start();
        return compact();
    }

    /** Asks for a compaction: a new segment, then a snapshot; completes when the snapshot is on disk. */
    public CompletionStage<Void> compact() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Compact(done));
        return done;
    }

    /**
     * Graceful stop, after the listeners closed: what is queued is written, then a final snapshot makes the next start
     * fast.
     */
    public void close() {
        try {
            compact().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("Session log: no snapshot at shutdown (%s); the next start replays the log", e.toString());
        }
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        compactor.shutdown();
    }

    // ---- SessionJournal ------------------------------------------------------------------------------------------

    @Override
    protected void append(LogRecord record) {
        pending.incrementAndGet();
        queue.add(record);
    }

    /**
     * The group's records are appended under the read side of {@link #groups}; the writer takes its batch under the
     * write side, so a batch (one frame, one write) never holds part of a group.
     */
    @Override
    public <T> T together(Supplier<T> changes) {
        groups.readLock().lock();
        try {
            return changes.get();
        } finally {
            groups.readLock().unlock();
        }
    }

    @Override
    public CompletionStage<Void> barrier() {
        if (pending.get() == 0) {
            return DONE; // everything appended so far, by any thread, is durable
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Barrier(done));
        return done;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Refusal refusal() {
        Refusal failed = failure;
        if (failed != null) {
            return failed;
        }
        if (diskBytes() < options.maxDiskBytes()) {
            return null;
        }
        long now = System.currentTimeMillis();
        if (now - lastBudgetCompaction > 1_000 && !compacting.get() && writer != null) {
            lastBudgetCompaction = now; // compaction, or deliveries, make room
            compact();
        }
        return Refusal.QUOTA_EXCEEDED;
    }

    public long diskBytes() {
        return segmentsBytes.get() + snapshotBytes;
    }

    // ---- writer thread -------------------------------------------------------------------------------------------

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(1024);
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            groups.writeLock().lock(); // waits for a group being appended: all of it joins this batch
            try {
                queue.drainTo(batch);
            } finally {
                groups.writeLock().unlock();
            }
            boolean stop = false;
            int records = 0;
            Compact compact = null;
            codec.reset();
            IOException error = null;
            for (Object item : batch) {
                if (item instanceof LogRecord record) {
                    records++;
                    if (error == null) {
                        try {
                            codec.write(record);
                        } catch (IOException e) {
                            error = e;
                        }
                        if (error == null && failure == null && codec.buffer().size() >= FRAME_SPLIT_BYTES) {
                            error = commit(); // a frame stays far below what a reader accepts (LogSegments)
                            codec.reset();
                        }
                    }
                } else if (item instanceof Barrier b) {
                    barriers.add(b.done());
                } else if (item instanceof Compact c) {
                    compact = c; // handled after this batch is written: the batch belongs to the old segment
                } else if (item == STOP) {
                    stop = true;
                }
            }
            if (records > 0 && error == null && failure == null) {
                error = commit();
            }
            pending.addAndGet(-records);
            boolean ok = error == null && failure == null;
            NotDurable notDurable = ok ? null : new NotDurable(error != null ? classify(error) : failure,
                    "session log not written: " + (error != null ? error.getMessage() : "failed earlier"));
            for (CompletableFuture<Void> b : barriers) {
                if (ok) {
                    b.complete(null);
                } else {
                    b.completeExceptionally(notDurable);
                }
            }
            if (error != null) {
                failed("write", error);
            }
            batch.clear();
            barriers.clear();
            if (compact != null) {
                startCompaction(compact.done());
            } else if (segmentSize >= options.segmentBytes()) {
                rotate();
                maybeCompact();
            }
            if (stop) {
                closeChannel();
                return;
            }
        }
    }

    private IOException commit() {
        long start = System.nanoTime();
        try {
            RecordCodec.Buffer buffer = codec.buffer();
            int bytes = LogSegments.writeFrame(channel, buffer.array(), buffer.size(), frameHeader);
            if (options.fsync()) {
                channel.force(false);
            }
            segmentSize += bytes;
            segmentsBytes.addAndGet(bytes);
            sinceSnapshot.addAndGet(bytes);
            commits.increment();
            commitTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return null;
        } catch (IOException e) {
            try {
                channel.truncate(segmentSize); // the partial frame: its space back, a segment that reads to its end
            } catch (IOException ignored) {
                LOG.debugf("Session log: cannot cut the failed frame: %s", ignored.toString());
            }
            return e;
        }
    }

    /** Closes the current segment and opens the next; false when the new one cannot be created. */
    private boolean rotate() {
        try {
            FileChannel next = files.create(segment + 1);
            closeChannel();
            channel = next;
            segment++;
            segmentSize = LogSegments.HEADER;
            segmentsBytes.addAndGet(segmentSize);
            return true;
        } catch (IOException e) {
            failed("new segment", e);
            return false;
        }
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debugf("closing segment: %s", e.toString());
        }
    }

    private void maybeCompact() {
        long threshold = Math.max(options.segmentBytes(), 2 * snapshotBytes);
        if (sinceSnapshot.get() > threshold || diskBytes() > options.maxDiskBytes() / 2) {
            compact();
        }
    }

    /**
     * On the writer thread, at a batch boundary: a new segment, then (on the compactor) a snapshot of the live
     * sessions as of that segment. A failed log starts writing again here: the snapshot holds what its lost writes
     * had.
     */
    private void startCompaction(CompletableFuture<Void> done) {
        if (!compacting.compareAndSet(false, true)) {
            compactor.execute(() -> done.complete(null)); // one is running; it covers this request's records too
            return;
        }
        if (!rotate()) {
            compacting.set(false);
            done.completeExceptionally(new IOException("cannot start a new session log segment"));
            return;
        }
        long from = segment;
        Refusal failedBefore = failure;
        failure = null; // the new segment takes records again; the snapshot covers what failed writes lost
        sinceSnapshot.set(0);
        compactor.execute(() -> {
            try {
                writeSnapshot(from);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                failure = failedBefore != null ? failedBefore : classify(e);
                failed("snapshot", e);
                done.completeExceptionally(e);
            } finally {
                compacting.set(false);
            }
        });
    }

    private void writeSnapshot(long from) throws IOException {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        List<SessionState> states = new ArrayList<>();
        long messages = 0;
        for (Session session : sessions.get()) {
            SessionState state = session.state(now);
            if (state == null || state.expiryIntervalSeconds() <= 0) {
                continue;
            }
            // QoS 0 kept for offline sessions is not in the journal's care (no completion is ever recorded for it)
            List<Delivery> queued = state.queue().stream().filter(d -> d.journalId() != 0).toList();
            List<Delivery> inflight = state.inflight().stream().filter(d -> d.journalId() != 0).toList();
            messages += queued.size() + inflight.size();
            states.add(new SessionState(state.clientId(), state.expiryIntervalSeconds(), state.detachedAtMillis(),
                    state.subscriptions(), inflight, queued, state.inboundQos2(), state.nextPacketId(),
                    state.will(), state.owner()));
        }
        Path file = files.snapshot(from);
        try {
            SessionSnapshot.write(file, states);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp")); // its space, for the next try
            throw e;
        }
        files.syncDirectory();
        long size = Files.size(file);
        long freed = 0;
        for (Map.Entry<Long, Path> e : files.segments().headMap(from).entrySet()) {
            freed += Files.size(e.getValue());
            Files.delete(e.getValue());
        }
        for (Map.Entry<Long, Path> e : files.snapshots().headMap(from).entrySet()) {
            freed += Files.size(e.getValue());
            Files.delete(e.getValue());
        }
        files.syncDirectory();
        segmentsBytes.addAndGet(-(freed - snapshotBytes)); // the old snapshot was counted in snapshotBytes
        snapshotBytes = size;
        compactions.increment();
        LOG.debugf("Session log: snapshot %s with %d sessions and %d messages (%d bytes) in %d ms; %d bytes freed",
                file.getFileName(), states.size(), messages, size, (System.nanoTime() - start) / 1_000_000, freed);
    }

    private void failed(String what, Exception e) {
        writeFailures.increment();
        if (failure == null) {
            failure = classify(e);
        }
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 10_000) {
            lastFailureLog = now;
            LOG.errorf("Session log %s failed in %s: %s. QoS 1/2 messages for persistent sessions are refused"
                    + " (%s) until a compaction succeeds (retried every second); see mqtt_session_log_refusing",
                    what, options.dir(), e.toString(), failure == Refusal.QUOTA_EXCEEDED ? "0x97" : "0x80");
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
            if (failure != null && !compacting.get()) {
                compact();
            }
        });
    }

    private static Refusal classify(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("Disk quota exceeded")
                ? Refusal.QUOTA_EXCEEDED : Refusal.UNAVAILABLE;
    }
}
