package dev.mqttsuite.retained.store.log;

import dev.mqttsuite.retained.store.RetainedRepository;
import dev.mqttsuite.retained.store.StoreLimitException;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.tree.TopicTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;

/**
 * The embedded engine: an append-only log of checksummed records with compaction, and the whole index in memory (a
 * {@link TopicTree} of the messages). See docs/adr/0005-retained-store-engine.md.
 *
 * <p>One writer thread owns the file: it takes every pending put, appends the batch, makes it durable once (group
 * commit: one fsync for the batch under {@code sync=always}), then applies it to the index and completes the callers'
 * futures, so a reader never sees a message that is not durable. Readers (get, match) are lock-free on the index.
 *
 * <p>Record: {@code int length | int crc32c | byte op | RetainedMessage protobuf}. At startup the log is replayed; a
 * torn or corrupt tail (a crash in the middle of a write) is cut off at the last intact record. An append that fails
 * (disk full, I/O error) is cut back off at once, so that no torn record sits in front of later, acknowledged ones;
 * if even that fails, every later put is refused until a restart.
 */
public final class AppendLogRepository implements RetainedRepository {

    private static final Logger LOG = Logger.getLogger(AppendLogRepository.class);
    private static final int MAX_BATCH = 1024;

    /** What the writer thread does next. */
    private sealed interface Work permits Put, Task {
    }

    private record Put(RetainedMessage message, CompletableFuture<Boolean> done) implements Work {
    }

    private record Task(Runnable action) implements Work {
    }

    private record Expiry(long expiresAt, String topic) {
    }

    /** Opens the log for appending (tests open a channel that fails on purpose). */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    private static final Opener APPEND = file -> FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);

    /** Limits enforced by the writer. */
    public record Limits(int maxPayloadSize, long maxCount, long maxTotalBytes) {
    }

    private final Path file;
    private final boolean fsync;
    private final long compactionMinSize;
    private final Limits limits;
    private final Opener opener;
    private final TopicTree<RetainedMessage> index = new TopicTree<>();
    private final AtomicLong payloadBytes = new AtomicLong();
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    // Owned by the writer thread (or by the constructor before it starts):
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));
    private FileChannel channel;
    private long liveRecordBytes;
    private volatile boolean closed;
    private volatile IOException broken;

    public AppendLogRepository(Path directory, boolean fsync, long compactionMinSize, Limits limits) {
        this(directory, fsync, compactionMinSize, limits, APPEND);
    }

    AppendLogRepository(Path directory, boolean fsync, long compactionMinSize, Limits limits, Opener opener) {
        this.fsync = fsync;
        this.compactionMinSize = compactionMinSize;
        this.limits = limits;
        this.opener = opener;
        try {
            Files.createDirectories(directory);
            this.file = directory.resolve("retained.log");
            boolean created = !Files.exists(file);
            replay();
            channel = opener.open(file);
            if (created) {
                syncDirectory(); // the new file's name must be durable too, or the first fsync'd puts are lost
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the retained-message log in " + directory, e);
        }
        writer = Thread.ofPlatform().name("retained-log-writer").daemon(true).start(this::writeLoop);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    @Override
    public Optional<RetainedMessage> get(String topic) {
        RetainedMessage message = index.get(TopicName.of(topic));
        return message == null || expired(message, System.currentTimeMillis()) ? Optional.empty()
                : Optional.of(message);
    }

    @Override
    public Iterator<RetainedMessage> match(TopicFilter filter) {
        Iterator<RetainedMessage> all = index.matchIterator(filter);
        long now = System.currentTimeMillis();
        Iterable<RetainedMessage> matching = () -> all;
        return StreamSupport.stream(matching.spliterator(), false).filter(m -> !expired(m, now)).iterator();
    }

    @Override
    public long count() {
        return index.size();
    }

    @Override
    public long payloadBytes() {
        return payloadBytes.get();
    }

    private static boolean expired(RetainedMessage message, long now) {
        return message.getExpiresAtMillis() != 0 && message.getExpiresAtMillis() <= now;
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Boolean> put(RetainedMessage message) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("store is closed"));
            return done;
        }
        if (broken != null) {
            done.completeExceptionally(new IllegalStateException("retained-message log unusable since an I/O error"
                    + " (" + broken + "); restart the store", broken));
            return done;
        }
        TopicName.of(message.getTopic()); // validates: IllegalArgumentException naming the rule
        if (message.getPayload().size() > limits.maxPayloadSize()) {
            done.completeExceptionally(new StoreLimitException("max-payload-size", "payload of "
                    + message.getPayload().size() + " bytes exceeds retained.limits.max-payload-size="
                    + limits.maxPayloadSize()));
            return done;
        }
        queue.add(new Put(message, done));
        return done;
    }

    @Override
    public int purgeExpired(long nowMillis, int max) {
        CompletableFuture<Integer> purged = new CompletableFuture<>();
        queue.add(new Task(() -> purged.complete(purgeOnWriter(nowMillis, max))));
        return purged.join();
    }

    @Override
    public long deleteMatching(TopicFilter filter) {
        List<String> topics = new ArrayList<>();
        index.matchIterator(filter).forEachRemaining(m -> topics.add(m.getTopic()));
        List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
        for (String topic : topics) {
            deletes.add(put(RetainedMessage.newBuilder().setTopic(topic).build()).toCompletableFuture());
        }
        return deletes.stream().filter(CompletableFuture::join).count();
    }

    private void writeLoop() {
        List<Work> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Work first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | IOException e) {
                LOG.errorf(e, "retained-message log write failed");
                for (Work work : batch) {
                    if (work instanceof Put put) {
                        put.done().completeExceptionally(e);
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    /** Appends the batch, syncs once, then applies to the index and completes the futures. */
    private void writeBatch(List<Work> batch) throws IOException {
        List<Put> accepted = new ArrayList<>(batch.size());
        List<ByteBuffer> records = new ArrayList<>(batch.size());
        long pendingCount = 0;
        long pendingBytes = 0;
        for (Work work : batch) {
            if (work instanceof Task task) {
                flush(records);
                applyAll(accepted);
                accepted.clear();
                pendingCount = 0;
                pendingBytes = 0;
                task.action().run();
                continue;
            }
            Put put = (Put) work;
            RetainedMessage message = put.message();
            boolean delete = message.getPayload().isEmpty();
            if (!delete) {
                RetainedMessage current = index.get(TopicName.of(message.getTopic()));
                long addCount = current == null ? 1 : 0;
                long addBytes = message.getPayload().size() - (current == null ? 0 : current.getPayload().size());
                // only growth is refused: above a limit lowered since the data was written, replacing a message
                // with one no larger still works, and deletions and expiry bring the store back under the limit
                if (addCount > 0 && index.size() + pendingCount + addCount > limits.maxCount()) {
                    put.done().completeExceptionally(new StoreLimitException("max-count", "retained.limits.max-count="
                            + limits.maxCount() + " reached"));
                    continue;
                }
                if (addBytes > 0 && payloadBytes.get() + pendingBytes + addBytes > limits.maxTotalBytes()) {
                    put.done().completeExceptionally(new StoreLimitException("max-total-bytes",
                            "retained.limits.max-total-bytes=" + limits.maxTotalBytes() + " reached"));
                    continue;
                }
                pendingCount += addCount;
                pendingBytes += addBytes;
            }
            records.add(LogRecords.encode(delete ? LogRecords.OP_DELETE : LogRecords.OP_PUT, delete
                    ? RetainedMessage.newBuilder().setTopic(message.getTopic()).build() : message));
            accepted.add(put);
        }
        flush(records);
        applyAll(accepted);
        compactIfWorthIt();
    }

    private void flush(List<ByteBuffer> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        if (broken != null) {
            throw new IOException("retained-message log unusable since an earlier I/O error", broken);
        }
        ByteBuffer[] buffers = records.toArray(new ByteBuffer[0]);
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        long intact = channel.size();
        try {
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            cutBack(intact, e);
            throw e;
        }
        records.clear();
    }

    /**
     * After a failed append: removes what it may have written, so that the next records follow the last intact one
     * (replay stops at the first torn record: anything behind one would be lost). The batch's callers are refused.
     */
    private void cutBack(long intact, IOException cause) {
        try {
            channel.truncate(intact);
            channel.force(true);
            LOG.errorf("retained-message log %s: append failed (%s), cut back to its last intact record at %d bytes;"
                    + " the batch's puts are refused", file, cause, intact);
        } catch (IOException | RuntimeException again) {
            broken = cause;
            LOG.errorf("retained-message log %s: append failed (%s) and could not be cut back (%s): every put is"
                    + " refused until the store restarts (replay then cuts the torn tail)", file, cause, again);
        }
    }

    /** Makes a file creation or rename in the log's directory durable (a no-op where directories cannot be synced). */
    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("cannot sync directory %s: %s", file.getParent(), e);
        }
    }

    private void applyAll(List<Put> puts) {
        for (Put put : puts) {
            put.done().complete(apply(put.message()));
        }
    }

    /** Applies a durable put to the index; returns whether something was replaced or deleted. */
    private boolean apply(RetainedMessage message) {
        TopicName topic = TopicName.of(message.getTopic());
        RetainedMessage previous;
        if (message.getPayload().isEmpty()) {
            previous = index.remove(topic);
        } else {
            previous = index.put(topic, message);
            payloadBytes.addAndGet(message.getPayload().size());
            liveRecordBytes += LogRecords.HEADER + message.getSerializedSize();
            if (message.getExpiresAtMillis() != 0) {
                expiries.add(new Expiry(message.getExpiresAtMillis(), message.getTopic()));
            }
        }
        if (previous != null) {
            payloadBytes.addAndGet(-previous.getPayload().size());
            liveRecordBytes -= LogRecords.HEADER + previous.getSerializedSize();
        }
        return previous != null;
    }

    private int purgeOnWriter(long now, int max) {
        int purged = 0;
        List<ByteBuffer> records = new ArrayList<>();
        List<RetainedMessage> deletes = new ArrayList<>();
        while (purged < max && !expiries.isEmpty() && expiries.peek().expiresAt() <= now) {
            Expiry expiry = expiries.poll();
            RetainedMessage current = index.get(TopicName.of(expiry.topic()));
            if (current != null && current.getExpiresAtMillis() == expiry.expiresAt()) {
                RetainedMessage delete = RetainedMessage.newBuilder().setTopic(expiry.topic()).build();
                records.add(LogRecords.encode(LogRecords.OP_DELETE, delete));
                deletes.add(delete);
                purged++;
            }
        }
        try {
            flush(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deletes.forEach(this::apply);
        return purged;
    }

    // ---- recovery and compaction -----------------------------------------------------------------------------

    private void replay() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long valid;
        long records;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            LogRecords.Scan scan = LogRecords.scan(in, (op, message) -> apply(op == LogRecords.OP_DELETE
                    ? RetainedMessage.newBuilder().setTopic(message.getTopic()).build() : message));
            valid = scan.validBytes();
            records = scan.records();
            if (valid < in.size()) {
                LOG.warnf("retained-message log %s: cutting %d bytes of torn or corrupt tail after %d records",
                        file, in.size() - valid, records);
            }
        }
        if (valid < Files.size(file)) {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                out.truncate(valid);
                out.force(true);
            }
        }
        LOG.infof("retained-message log %s: %d records replayed, %d retained messages", file, records, index.size());
    }

    private void compactIfWorthIt() throws IOException {
        long size = channel.size();
        if (size < compactionMinSize || size < 2 * liveRecordBytes) {
            return;
        }
        Path tmp = file.resolveSibling("retained.log.compacting");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Iterator<RetainedMessage> all = index.iterator();
            List<ByteBuffer> chunk = new ArrayList<>();
            while (all.hasNext()) {
                chunk.add(LogRecords.encode(LogRecords.OP_PUT, all.next()));
                if (chunk.size() == 1024 || !all.hasNext()) {
                    ByteBuffer[] buffers = chunk.toArray(new ByteBuffer[0]);
                    while (buffers[buffers.length - 1].hasRemaining()) {
                        out.write(buffers);
                    }
                    chunk.clear();
                }
            }
            out.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(); // the rename itself must survive a power cut, or the old log comes back
        channel = opener.open(file);
        LOG.infof("retained-message log compacted from %d to %d bytes", size, channel.size());
    }

    /** Log size on disk (for tests and metrics). */
    public long logSize() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
            channel.force(true);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warnf("closing the retained-message log: %s", e.toString());
        }
    }
}
