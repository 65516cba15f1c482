package dev.mqttsuite.retained.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.v1.RetainedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An append that fails half-way (disk full, I/O error) must not leave a torn record in the middle of the log: replay
 * stops at the first torn record, so every acknowledged put behind it would be lost at the next start.
 */
class AppendLogFailureTest {

    private static final AppendLogRepository.Limits LIMITS = new AppendLogRepository.Limits(1 << 20, 1000, 1 << 30);

    @TempDir
    Path dir;

    private AppendLogRepository repository;

    @AfterEach
    void close() {
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void givenAnAppendFailsHalfWritten_thenItIsCutBack_andLaterAcknowledgedPutsSurviveAReopen() {
        FailingChannel[] channel = new FailingChannel[1];
        repository = new AppendLogRepository(dir, true, Long.MAX_VALUE, LIMITS, file -> channel[0] =
                new FailingChannel(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)));
        put("a", "1");
        channel[0].failNextWrite = true;
        assertThatThrownBy(() -> put("b", "2")).as("the failed batch is refused, not acknowledged")
                .isInstanceOf(CompletionException.class).hasRootCauseInstanceOf(IOException.class);
        put("c", "3");
        repository.close();

        repository = new AppendLogRepository(dir, true, Long.MAX_VALUE, LIMITS);
        assertThat(repository.get("c")).as("acknowledged after the failure: kept").isPresent();
        assertThat(repository.get("a")).isPresent();
        assertThat(repository.get("b")).as("refused: not there").isEmpty();
    }

    @Test
    void givenTheLogCannotBeCutBack_thenEveryLaterPutIsRefused() {
        FailingChannel[] channel = new FailingChannel[1];
        repository = new AppendLogRepository(dir, true, Long.MAX_VALUE, LIMITS, file -> channel[0] =
                new FailingChannel(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)));
        channel[0].failNextWrite = true;
        channel[0].failTruncate = true;
        assertThatThrownBy(() -> put("a", "1")).isInstanceOf(CompletionException.class);
        assertThatThrownBy(() -> put("b", "2")).as("refused rather than written behind a torn record")
                .hasMessageContaining("restart the store");
    }

    private void put(String topic, String payload) {
        repository.put(RetainedMessage.newBuilder().setTopic(topic).setPayload(ByteString.copyFromUtf8(payload))
                .build()).toCompletableFuture().join();
    }

    @Test
    void aNewLogFile_isCreatedDurably_inItsDirectory() throws IOException {
        repository = new AppendLogRepository(dir.resolve("nested"), true, Long.MAX_VALUE, LIMITS);
        put("a", "1");
        assertThat(Files.size(dir.resolve("nested/retained.log"))).isPositive();
    }

    /** A real file channel whose next write stops half-way with an I/O error, as on a full disk. */
    private static final class FailingChannel extends FileChannel {
        private final FileChannel file;
        volatile boolean failNextWrite;
        volatile boolean failTruncate;

        FailingChannel(FileChannel file) {
            this.file = file;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            if (failNextWrite) {
                failNextWrite = false;
                ByteBuffer first = sources[offset].duplicate();
                first.limit(first.position() + first.remaining() / 2);
                file.write(first);
                throw new IOException("No space left on device (test)");
            }
            return file.write(sources, offset, length);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (failTruncate) {
                throw new IOException("Input/output error (test)");
            }
            file.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return file.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return file.read(destinations, offset, length);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return (int) write(new ByteBuffer[] {source}, 0, 1);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long position) throws IOException {
            file.position(position);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            return file.transferFrom(source, position, count);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return file.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return file.write(source, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
