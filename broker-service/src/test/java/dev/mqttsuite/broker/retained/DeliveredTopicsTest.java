package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveredTopicsTest {

    @Test
    void eachTopicIsNewOnce_acrossTableGrowth() {
        DeliveredTopics delivered = new DeliveredTopics();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            assertThat(delivered.add("site" + (i % 100) + "/dev" + i + "/metric")).as("first time %d", i).isTrue();
        }
        for (int i = 0; i < n; i += 997) {
            assertThat(delivered.add("site" + (i % 100) + "/dev" + i + "/metric")).as("again %d", i).isFalse();
        }
        assertThat(delivered.size()).isEqualTo(n);
    }

    @Test
    void topicsThatDifferOnlyInOneByte_orInUnicode_haveDifferentFingerprints() {
        assertThat(DeliveredTopics.fingerprint("a/b")).isNotEqualTo(DeliveredTopics.fingerprint("a/c"));
        assertThat(DeliveredTopics.fingerprint("température/é")).isNotEqualTo(DeliveredTopics.fingerprint(
                "température/e"));
        assertThat(DeliveredTopics.fingerprint("")).isNotZero();
    }
}
