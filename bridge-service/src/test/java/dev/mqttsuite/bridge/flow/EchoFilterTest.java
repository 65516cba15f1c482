package dev.mqttsuite.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoFilterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anExpectedEchoIsRecognisedOnce() {
        EchoFilter f = new EchoFilter(60 * SECOND, 100);
        f.expect("a/b", "x".getBytes(), 0);
        assertThat(f.consume("a/b", "x".getBytes(), 1)).isTrue();
        assertThat(f.consume("a/b", "x".getBytes(), 2)).as("the second copy is a new message").isFalse();
    }

    @Test
    void topicAndPayloadMustBothMatch() {
        EchoFilter f = new EchoFilter(60 * SECOND, 100);
        f.expect("a/b", "x".getBytes(), 0);
        assertThat(f.consume("a/c", "x".getBytes(), 1)).isFalse();
        assertThat(f.consume("a/b", "y".getBytes(), 1)).isFalse();
        assertThat(f.size()).isEqualTo(1);
    }

    @Test
    void identicalMessagesAreCounted() {
        EchoFilter f = new EchoFilter(60 * SECOND, 100);
        f.expect("a", "x".getBytes(), 0);
        f.expect("a", "x".getBytes(), 0);
        assertThat(f.consume("a", "x".getBytes(), 1)).isTrue();
        assertThat(f.consume("a", "x".getBytes(), 1)).isTrue();
        assertThat(f.consume("a", "x".getBytes(), 1)).isFalse();
    }

    @Test
    void recordsExpireAfterTheWindowSoAMissingEchoCannotSuppressLaterMessages() {
        EchoFilter f = new EchoFilter(10 * SECOND, 100);
        f.expect("a", "x".getBytes(), 0);
        f.expect("a", "x".getBytes(), 5 * SECOND);
        assertThat(f.consume("a", "x".getBytes(), 11 * SECOND)).as("the younger record is still there").isTrue();
        assertThat(f.consume("a", "x".getBytes(), 11 * SECOND)).isFalse();
        f.expect("b", "y".getBytes(), 20 * SECOND);
        assertThat(f.consume("b", "y".getBytes(), 31 * SECOND)).isFalse();
        assertThat(f.size()).isZero();
    }

    @Test
    void aConsumedRecordDoesNotShortenTheLifeOfANewerOneWithTheSameContent() {
        EchoFilter f = new EchoFilter(10 * SECOND, 100);
        f.expect("a", "x".getBytes(), 0);
        assertThat(f.consume("a", "x".getBytes(), 1)).isTrue();
        f.expect("a", "x".getBytes(), 8 * SECOND);
        // the first record's expiry (10 s) passes; the second lives until 18 s
        assertThat(f.consume("a", "x".getBytes(), 12 * SECOND)).isTrue();
    }

    @Test
    void capacityForgetsTheOldestRecordsFirst() {
        EchoFilter f = new EchoFilter(60 * SECOND, 2);
        f.expect("a", "1".getBytes(), 0);
        f.expect("a", "2".getBytes(), 0);
        f.expect("a", "3".getBytes(), 0);
        assertThat(f.size()).isEqualTo(2);
        assertThat(f.consume("a", "1".getBytes(), 1)).isFalse();
        assertThat(f.consume("a", "3".getBytes(), 1)).isTrue();
    }
}
