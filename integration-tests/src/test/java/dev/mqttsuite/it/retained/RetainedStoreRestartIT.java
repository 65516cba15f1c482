package dev.mqttsuite.it.retained;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.Listen;
import dev.mqttsuite.it.support.RetainedStack;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retained reads across a crash of the retained-store-service (kill -9, restart on the same data directory and port):
 * a subscriber right after the restart gets every retained message, and a subscription made while the store was down
 * gets them, once each, as soon as the store is back. Both used to get a SUBACK and nothing for 10-25 s.
 */
class RetainedStoreRestartIT {

    private static final int RETAINED = 200;
    /**
     * Long enough for the broker's gRPC channel to back off between reconnection attempts (1 s, 1.6 s, 2.6 s...);
     * {@code -Dit.retained.outage=30s} measures a longer one.
     */
    private static final Duration OUTAGE = Duration.parse("PT" + System.getProperty("it.retained.outage", "10s"));
    /** A retained read is served within this time of the store being ready again. */
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(3);

    private static RetainedStack stack;

    @BeforeAll
    static void start() {
        stack = RetainedStack.start("retained-restart");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void publishRetained(String prefix) {
        Mqtt5BlockingClient publisher = stack.client(prefix + "-publisher");
        for (int i = 0; i < RETAINED; i++) {
            publisher.publishWith().topic(prefix + "/" + i).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload((prefix + "-" + i).getBytes()).send(); // returns at the PUBACK: durable in the store
        }
        publisher.disconnect();
    }

    @Test
    void newSubscriber_rightAfterAStoreRestart_receivesEveryRetainedMessage() throws Exception {
        publishRetained("restart");
        stack.store().kill();
        stack.store().start();

        Mqtt5BlockingClient subscriber = stack.client("restart-subscriber");
        try (var publishes = Listen.listen(subscriber)) {
            subscriber.subscribeWith().topicFilter("restart/#").qos(MqttQos.AT_LEAST_ONCE).send();
            RetainedStack.Received got = RetainedStack.receive(publishes, RETAINED, Duration.ofSeconds(10));
            assertThat(got.payloads()).as("every retained message, right after the store's restart").hasSize(RETAINED)
                    .containsEntry("restart/0", "restart-0").containsEntry("restart/199", "restart-199");
            assertThat(got.arrivals()).as("each once").isEqualTo(RETAINED);
        }
        subscriber.disconnect();
    }

    @Test
    void subscriptionMadeWhileTheStoreIsDown_receivesEveryRetainedMessageOnce_whenTheStoreIsBack() throws Exception {
        publishRetained("outage");
        stack.store().kill();
        Mqtt5BlockingClient waiting = stack.client("outage-waiting");
        Mqtt5BlockingClient probe = stack.client("outage-probe");
        try (var publishes = Listen.listen(waiting)) {
            waiting.subscribeWith().topicFilter("outage/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(publishes.receive(OUTAGE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("nothing can be read while the store is down").isEmpty();

            stack.store().start();
            long ready = System.nanoTime();
            long servedAfterMillis = firstRetainedRead(probe, "outage/0", Duration.ofSeconds(40));
            System.out.printf("retained store restart after a %d s outage: first retained read served %d ms after the"
                    + " store was ready%n", OUTAGE.toSeconds(), servedAfterMillis);

            RetainedStack.Received got = RetainedStack.receive(publishes, RETAINED, Duration.ofSeconds(10));
            assertThat(got.payloads()).as("the waiting subscription got every retained message").hasSize(RETAINED)
                    .containsEntry("outage/7", "outage-7");
            assertThat(publishes.receive(1, TimeUnit.SECONDS)).as("and each exactly once").isEmpty();
            assertThat(got.arrivals()).as("each exactly once").isEqualTo(RETAINED);
            assertThat(Duration.ofMillis(servedAfterMillis)).as("retained reads work again within %s of the restart",
                    SERVED_WITHIN).isLessThan(SERVED_WITHIN);
            assertThat(Duration.ofNanos(System.nanoTime() - ready)).isLessThan(Duration.ofSeconds(15));
        }
        waiting.disconnect();
        probe.disconnect();
    }

    /**
     * Milliseconds until a fresh subscription to {@code topic} gets its retained message: subscribes, waits a moment,
     * unsubscribes and tries again (a failed read is silent for the subscriber: SUBACK, then nothing).
     */
    private static long firstRetainedRead(Mqtt5BlockingClient probe, String topic, Duration atMost)
            throws InterruptedException {
        long start = System.nanoTime();
        try (var publishes = Listen.listen(probe)) {
            while (System.nanoTime() - start < atMost.toNanos()) {
                probe.subscribeWith().topicFilter(topic).send();
                Optional<?> got = publishes.receive(250, TimeUnit.MILLISECONDS);
                probe.unsubscribeWith().topicFilter(topic).send();
                if (got.isPresent()) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            }
        }
        return atMost.toMillis();
    }
}
