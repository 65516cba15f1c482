package dev.mqttsuite.authcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecretFingerprintsTest {

    private final SecretFingerprints fingerprints = new SecretFingerprints();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sameContextAndSecret_giveTheSameFingerprint_whichDoesNotContainTheSecret() {
        String first = fingerprints.of("alice", bytes("correct horse"));
        assertThat(fingerprints.of("alice", bytes("correct horse"))).isEqualTo(first);
        assertThat(first).doesNotContain("correct").doesNotContain("horse");
    }

    @Test
    void theContextCounts_andBytesCannotMoveBetweenContextAndSecret() {
        assertThat(fingerprints.of("alice", bytes("s"))).isNotEqualTo(fingerprints.of("bob", bytes("s")));
        assertThat(fingerprints.of("ab", bytes("c"))).isNotEqualTo(fingerprints.of("a", bytes("bc")));
    }

    @Test
    void concurrentCallers_getConsistentFingerprints() {
        String expected = fingerprints.of("u", bytes("p"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 10_000).parallel().forEach(i -> seen.add(fingerprints.of("u", bytes("p"))));
        assertThat(seen).containsExactly(expected);
    }
}
