package dev.mqttsuite.it.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.RetainedAdmin;
import dev.mqttsuite.it.support.RetainedStack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retained store's log engine under crashes, with real processes: kill -9 of the store in the middle of a QoS 1
 * retained-publish load loses no retained message whose PUBACK the publisher got (three cycles), and a torn or
 * corrupt last record is cut off at startup with a log line, keeping every record before it.
 */
class RetainedStoreKillNineIT {

    private static final int CYCLES = 3;
    /** Kill the store once this many retained publishes of a cycle were acknowledged. */
    private static final int ACKED_BEFORE_KILL = 1500;
    private static final int IN_FLIGHT = 200;

    private static RetainedStack stack;

    @BeforeAll
    static void start() {
        stack = RetainedStack.start("retained-kill");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killNineOfTheStoreUnderRetainedPublishLoad_losesNoAcknowledgedRetainedMessage() throws Exception {
        int totalAcked = 0;
        int totalRefused = 0;
        int totalLost = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String prefix = "load/c" + cycle;
            Load load = new Load(stack.client(prefix + "-publisher").toAsync(), prefix);
            Thread publisher = Thread.ofVirtual().name(prefix).start(load::run);
            await("PUBACKs before the kill").atMost(Duration.ofSeconds(30))
                    .until(() -> load.acked.size() >= ACKED_BEFORE_KILL);
            stack.store().kill();
            load.stopping = true;
            publisher.join(Duration.ofSeconds(10));
            await("every publish answered").atMost(Duration.ofSeconds(15))
                    .until(() -> load.inFlight.availablePermits() == IN_FLIGHT);
            stack.store().start();

            Map<String, String> stored = storeContent(prefix + "/#");
            Map<String, String> lost = new HashMap<>();
            load.acked.forEach((topic, payload) -> {
                if (!payload.equals(stored.get(topic))) {
                    lost.put(topic, stored.get(topic));
                }
            });
            System.out.printf("retained kill -9 cycle %d: %d acknowledged, %d refused, %d stored, %d lost%n", cycle,
                    load.acked.size(), load.refused.get(), stored.size(), lost.size());
            totalAcked += load.acked.size();
            totalRefused += load.refused.get();
            totalLost += lost.size();
            assertThat(lost).as("cycle %d: acknowledged retained messages missing or wrong after kill -9 (topic ->"
                    + " what the store has)", cycle).isEmpty();
        }
        System.out.printf("retained kill -9, %d cycles: %d acknowledged, %d refused, %d lost%n", CYCLES, totalAcked,
                totalRefused, totalLost);
    }

    @Test
    void tornOrCorruptLastRecord_isCutAtStartupWithALogLine_andEverythingBeforeItIsKept() throws Exception {
        publish("torn/kept", "kept");
        publish("torn/last", "last"); // the log's last record: its tail is torn off below
        stack.store().kill();
        damageLastBytes(stack.storeLog(), false);
        int cutsBefore = cutLogLines();
        stack.store().start();
        assertThat(cutLogLines()).as("the store logs the cut").isEqualTo(cutsBefore + 1);
        assertThat(storeContent("torn/#")).as("the torn record is gone, the one before it kept")
                .containsExactlyEntriesOf(Map.of("torn/kept", "kept"));

        publish("torn/corrupt", "corrupt"); // appended right after the cut: the log is whole again
        stack.store().kill();
        damageLastBytes(stack.storeLog(), true);
        stack.store().start();
        assertThat(cutLogLines()).as("a record failing its checksum is cut too").isEqualTo(cutsBefore + 2);

        publish("torn/after", "after");
        stack.store().kill();
        stack.store().start();
        assertThat(cutLogLines()).as("nothing to cut after a clean append").isEqualTo(cutsBefore + 2);
        assertThat(storeContent("torn/#")).as("records written after a cut survive the next restart")
                .containsExactlyInAnyOrderEntriesOf(Map.of("torn/kept", "kept", "torn/after", "after"));
    }

    private static void publish(String topic, String payload) {
        Mqtt5BlockingClient publisher = stack.client("torn-publisher");
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes())
                .send();
        publisher.disconnect();
    }

    /** Cuts the last 3 bytes off the log (a torn write), or flips one of its last bytes (a corrupt record). */
    private static void damageLastBytes(Path log, boolean corrupt) throws IOException {
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = file.size();
            if (!corrupt) {
                file.truncate(size - 3);
                return;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            file.read(last, size - 2);
            last.put(0, (byte) (last.get(0) ^ 0x5a)).rewind();
            file.write(last, size - 2);
        }
    }

    private static int cutLogLines() {
        return stack.storeOutput().split("of torn or corrupt tail", -1).length - 1;
    }

    /** What the store holds for {@code filter}, read from its admin API (not through the broker). */
    private static Map<String, String> storeContent(String filter) {
        return new RetainedAdmin(stack.store().httpPort(), RetainedStack.ADMIN_PASSWORD).all(filter);
    }

    /** QoS 1 retained publishes to distinct topics, at most {@link #IN_FLIGHT} unanswered, until told to stop. */
    private static final class Load {
        final Map<String, String> acked = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        volatile boolean stopping;
        private final Mqtt5AsyncClient client;
        private final String prefix;

        Load(Mqtt5AsyncClient client, String prefix) {
            this.client = client;
            this.prefix = prefix;
        }

        void run() {
            for (int i = 0; !stopping; i++) {
                inFlight.acquireUninterruptibly();
                String topic = prefix + "/" + i;
                String payload = prefix + "-" + i;
                client.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes())
                        .send().whenComplete((result, failure) -> {
                            // a PUBACK with an error reason code completes exceptionally (Mqtt5PubAckException)
                            if (failure == null) {
                                acked.put(topic, payload);
                            } else {
                                refused.incrementAndGet();
                            }
                            inFlight.release();
                        });
            }
        }
    }
}
