package dev.mqttsuite.retained.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.retained.store.log.AppendLogRepository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendLogRepositoryTest extends RetainedRepositoryContract {

    @TempDir
    Path dir;

    @Override
    protected RetainedRepository create(AppendLogRepository.Limits limits) {
        return new AppendLogRepository(dir, true, 64 * 1024, limits);
    }

    @Test
    void reopening_replaysTheLog() {
        put(message(prefix + "/a", "1"));
        put(message(prefix + "/b", "2"));
        put(message(prefix + "/a", ""));
        repository.close();
        repository = create(LIMITS);
        assertThat(repository.get(prefix + "/a")).isEmpty();
        assertThat(repository.get(prefix + "/b")).isPresent();
        assertThat(repository.count()).isEqualTo(1);
    }

    @Test
    void dataAboveLimitsLoweredSinceItWasWritten_loads_andOnlyGrowthIsRefused() {
        put(message(prefix + "/a", "aaaa"));
        put(message(prefix + "/b", "bbbb"));
        put(message(prefix + "/c", "cccc"));
        repository.close();
        repository = create(new AppendLogRepository.Limits(1024, 2, 10)); // holds 3 messages, 12 bytes
        assertThat(repository.count()).as("nothing dropped at startup").isEqualTo(3);
        assertThatThrownBy(() -> put(message(prefix + "/d", "d"))).hasCauseInstanceOf(StoreLimitException.class)
                .hasMessageContaining("retained.limits.max-count=2");
        assertThatThrownBy(() -> put(message(prefix + "/a", "aaaaa"))).hasCauseInstanceOf(StoreLimitException.class)
                .hasMessageContaining("retained.limits.max-total-bytes=10");
        put(message(prefix + "/a", "aa")); // no larger: accepted
        put(message(prefix + "/b", "")); // deletions always work
        put(message(prefix + "/c", ""));
        assertThat(repository.count()).isEqualTo(1);
        assertThat(repository.payloadBytes()).isEqualTo(2);
        put(message(prefix + "/b", "bbbb")); // back under both limits: growth within them works again
        assertThat(repository.count()).isEqualTo(2);
        assertThat(repository.payloadBytes()).isEqualTo(6);
    }

    @Test
    void tornTail_isCutOff_andEverythingBeforeItSurvives() throws IOException {
        put(message(prefix + "/a", "1"));
        put(message(prefix + "/b", "2"));
        repository.close();
        Path log = dir.resolve("retained.log");
        long intact = Files.size(log);
        try (FileChannel out = FileChannel.open(log, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2, 3})); // a record header without its body
        }
        repository = create(LIMITS);
        assertThat(repository.count()).isEqualTo(2);
        assertThat(Files.size(log)).isEqualTo(intact);
        put(message(prefix + "/c", "3"));
        repository.close();
        repository = create(LIMITS);
        assertThat(repository.count()).isEqualTo(3);
    }

    @Test
    void corruptRecord_stopsReplayThere() throws IOException {
        put(message(prefix + "/a", "1"));
        long firstEnd = Files.size(dir.resolve("retained.log"));
        put(message(prefix + "/b", "2"));
        repository.close();
        try (FileChannel out = FileChannel.open(dir.resolve("retained.log"), StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), firstEnd + 12); // flip a byte of record 2's body
        }
        repository = create(LIMITS);
        assertThat(repository.get(prefix + "/a")).isPresent();
        assertThat(repository.get(prefix + "/b")).as("checksum catches the corruption").isEmpty();
    }

    @Test
    void compaction_shrinksTheLog_andKeepsEveryLiveMessage() {
        AppendLogRepository log = (AppendLogRepository) repository;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 20; i++) {
                put(message(prefix + "/c/" + i, "round-" + round + "-" + "x".repeat(100)));
            }
        }
        assertThat(log.logSize()).as("50 rounds of 20 records would be ~150 KB without compaction")
                .isLessThan(100 * 1024);
        assertThat(topics(prefix + "/c/+")).hasSize(20);
        repository.close();
        repository = create(LIMITS);
        assertThat(repository.get(prefix + "/c/7").orElseThrow().getPayload().toStringUtf8()).startsWith("round-49-");
    }

    @Test
    void countLimit_isEnforced() {
        repository.close();
        repository = create(new AppendLogRepository.Limits(1024, 2, 1_000_000));
        put(message(prefix + "/1", "x"));
        put(message(prefix + "/2", "x"));
        put(message(prefix + "/2", "y")); // replacing does not count
        assertThatThrownBy(() -> put(message(prefix + "/3", "x")))
                .isInstanceOf(CompletionException.class).hasMessageContaining("retained.limits.max-count=2");
    }
}
