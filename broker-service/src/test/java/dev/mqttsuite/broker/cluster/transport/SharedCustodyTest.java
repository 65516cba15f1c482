package dev.mqttsuite.broker.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Copies of shared-group messages given to other brokers: kept until settled, taken back when their holder dies. */
class SharedCustodyTest {

    private static final TopicFilter FILTER = TopicFilter.of("jobs/#");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Message message(String payload) {
        return new Message(TopicName.of("jobs/a"), payload.getBytes(StandardCharsets.UTF_8), 1, false,
                PublishProperties.NONE, "publisher", 0);
    }

    private static String payload(SharedCustody.Held held) {
        return new String(held.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void aDepartedHoldersAcceptedCopiesComeBackOldestFirst_andItsUnacceptedOnesAreForgotten() {
        SharedCustody custody = new SharedCustody(100, registry);
        long first = custody.hold(message("m1"), "workers", FILTER, "b2", false);
        long unaccepted = custody.hold(message("m2"), "workers", FILTER, "b2", false);
        long third = custody.hold(message("m3"), "workers", FILTER, "b2", true); // a hand-on counts at once
        long elsewhere = custody.hold(message("m4"), "workers", FILTER, "b3", false);
        custody.accepted(first);
        custody.accepted(elsewhere);

        var taken = custody.takeHeldBy("b2");

        assertThat(taken).extracting(SharedCustodyTest::payload).containsExactly("m1", "m3");
        assertThat(taken).extracting(SharedCustody.Held::token).containsExactly(first, third);
        assertThat(custody.release(unaccepted)).as("forgotten: its publisher was refused, 0x80").isFalse();
        assertThat(custody.size()).isEqualTo(1);
    }

    @Test
    void copiesComeBackInTheOrderTheyWereGivenOut_notInTheMapsOrder() {
        SharedCustody custody = new SharedCustody(1_000, registry);
        for (int i = 0; i < 110; i++) { // a long-running broker: tokens far beyond the size of the map's table
            custody.settle(custody.hold(message("settled"), "workers", FILTER, "b3", true));
        }
        List<String> given = new ArrayList<>();
        for (int i = 1; i <= 10; i++) { // tokens 111..120 wrap around a table of 16: a hash order would differ
            given.add("m" + i);
            custody.hold(message("m" + i), "workers", FILTER, "b2", true);
        }

        assertThat(custody.takeHeldBy("b2")).extracting(SharedCustodyTest::payload).containsExactlyElementsOf(given);
    }

    @Test
    void aSettledCopyIsNotRedelivered() {
        SharedCustody custody = new SharedCustody(100, registry);
        long token = custody.hold(message("m1"), "workers", FILTER, "b2", true);

        custody.settle(token);

        assertThat(custody.takeHeldBy("b2")).isEmpty();
        assertThat(custody.release(token)).isFalse();
    }

    @Test
    void beyondTheLimitMessagesGoWithoutACopy_andAreCounted() {
        SharedCustody custody = new SharedCustody(1, registry);
        assertThat(custody.hold(message("m1"), "workers", FILTER, "b2", true)).isNotZero();

        assertThat(custody.hold(message("m2"), "workers", FILTER, "b2", true)).isZero();
        assertThat(registry.get("mqtt.cluster.shared.custody.full").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("mqtt.cluster.shared.custody").gauge().value()).isEqualTo(1.0);
    }
}
