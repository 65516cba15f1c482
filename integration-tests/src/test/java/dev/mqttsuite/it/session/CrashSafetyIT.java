package dev.mqttsuite.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash safety of persistent sessions (issue 15), with a real broker process ({@code broker.session.persistence=file},
 * {@code fsync=batch}) killed with SIGKILL under load and started again on the same data directory and port: a QoS 1/2
 * message the broker acknowledged (PUBACK / PUBREC with a success code) is never lost, and a QoS 2 message never reaches
 * the application twice.
 *
 * <p>What the HiveMQ client guarantees, and why the QoS 2 tests keep one client object: its QoS 2 state (incoming:
 * the packet ids it sent PUBREC for; outgoing: PUBLISHes not yet PUBRECed, PUBRELs not yet PUBCOMPed) is kept in the
 * client's memory only. With automatic reconnect and a CONNACK with session present it resends its own unfinished
 * exchanges (DUP) and recognises a PUBLISH the broker resends with a packet id it already answered, so the
 * application sees it once. A new client object (a restarted application) would not: exactly-once to the application
 * then also needs the application's own persistence, which no broker can provide.
 */
class CrashSafetyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int KILLS = 10;

    private CrashBroker broker;
    private final List<AutoCloseable> clients = new java.util.ArrayList<>();
    private Path mounted;

    @AfterEach
    void stop() throws Exception {
        dev.mqttsuite.it.support.Closer.closeAll(clients.toArray(AutoCloseable[]::new));
        if (broker != null) {
            broker.close();
        }
        if (mounted != null) {
            new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private CrashBroker broker(String name, Path data, Map<String, String> settings) {
        broker = new CrashBroker(name, data, settings).start();
        return broker;
    }

    /** Queues limited by disk, not by count, and refused rather than dropped: a drop would look like a loss. */
    private static Map<String, String> roomyQueues() {
        return Map.of("BROKER_SESSION_MAX_QUEUED_MESSAGES", "1000000",
                "BROKER_SESSION_MAX_QUEUED_BYTES", "134217728",
                "BROKER_SESSION_QUEUE_OVERFLOW", "refuse");
    }

    /**
     * A subscriber to {@code crash/#} with a persistent session on the running broker. {@code online}: it stays
     * connected and reconnects by itself after a kill (one client object, see the class comment); otherwise it
     * disconnects at once and the broker queues for it.
     */
    private CountingSubscriber subscriber(String clientId, boolean online, MqttQos qos) throws Exception {
        CountingSubscriber subscriber = new CountingSubscriber(clientId, broker.port(), online);
        clients.add(subscriber);
        assertThat(subscriber.connect()).as("a new session").isFalse();
        subscriber.subscribe("crash/#", qos);
        if (!online) {
            subscriber.disconnect();
        }
        return subscriber;
    }

    private static void awaitDelivered(CountingSubscriber subscriber, Set<String> acknowledged, String when) {
        await(when + ": every acknowledged message delivered").atMost(PATIENCE).untilAsserted(() -> assertThat(
                subscriber.missing(acknowledged)).as("%s: acknowledged but not delivered", when).isEmpty());
    }

    private static int randomBetween(int low, int high) {
        return ThreadLocalRandom.current().nextInt(low, high + 1);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void givenOfflinePersistentSubscriber_whenBrokerIsKilledUnderQos1Load_thenEveryAcknowledgedMessageIsDelivered()
            throws Exception {
        broker("crash-offline-qos1", Files.createTempDirectory("it-crash-a"), roomyQueues());
        CountingSubscriber subscriber = subscriber("offline-qos1", false, MqttQos.AT_LEAST_ONCE);
        long acknowledged = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Set<String> acked = killUnderLoad("a" + kill, MqttQos.AT_LEAST_ONCE, randomBetween(1_000, 6_000));
            acknowledged += acked.size();
            assertThat(subscriber.connect()).as("kill %d: the session survives kill -9 [MQTT-3.2.2-2]", kill)
                    .isTrue();
            awaitDelivered(subscriber, acked, "kill " + kill + " (PUBACK 0x00)");
            subscriber.disconnect();
        }
        System.out.printf("CrashSafetyIT offline QoS 1: %d kills, %,d messages acknowledged, 0 lost%n", KILLS,
                acknowledged);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void givenOnlineQos2Subscriber_whenBrokerIsKilledUnderLoad_thenNothingAcknowledgedIsLostAndNothingDuplicated()
            throws Exception {
        broker("crash-online-qos2", Files.createTempDirectory("it-crash-b"), roomyQueues());
        CountingSubscriber subscriber = subscriber("online-qos2", true, MqttQos.EXACTLY_ONCE);
        long acknowledged = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Set<String> acked = killUnderLoad("b" + kill, MqttQos.EXACTLY_ONCE, randomBetween(500, 3_000));
            acknowledged += acked.size();
            await("kill " + kill + ": the subscriber reconnected").atMost(PATIENCE).until(subscriber::connected);
            awaitDelivered(subscriber, acked, "kill " + kill + " (PUBREC 0x00)");
        }
        assertThat(subscriber.duplicates()).as("QoS 2: each message reaches the application once [MQTT-4.3.3]")
                .isEmpty();
        System.out.printf("CrashSafetyIT online QoS 2: %d kills, %,d messages acknowledged, 0 lost,"
                + " 0 duplicates among %,d delivered%n", KILLS, acknowledged, subscriber.distinct());
    }

    /**
     * One cycle: a fresh publisher (clean start, no reconnect) floods {@code crash/<prefix>} until {@code killAfter}
     * acknowledgements, the broker gets SIGKILL, the publisher's connection is gone, the broker starts again.
     *
     * @return the keys the broker acknowledged before it died
     */
    private Set<String> killUnderLoad(String prefix, MqttQos qos, int killAfter) throws Exception {
        AckedPublisher publisher = new AckedPublisher("pub-" + prefix, broker.port(), qos, false).connect();
        try {
            publisher.flood("crash/" + prefix, prefix, Integer.MAX_VALUE, 1_000, 16);
            await(prefix + ": " + killAfter + " acknowledgements").atMost(PATIENCE)
                    .until(() -> publisher.acknowledged().size() >= killAfter);
            broker.kill();
            await(prefix + ": the publisher saw the connection end").atMost(PATIENCE)
                    .until(() -> !publisher.connected());
            publisher.stop();
            assertThat(publisher.refused()).as("nothing refused under this load").isEmpty();
            Set<String> acked = Set.copyOf(publisher.acknowledged());
            broker.start();
            return acked;
        } finally {
            publisher.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void givenQos2PublisherWithPubrecsOutstanding_whenBrokerIsKilled_thenItsResendsAreDeliveredOnce()
            throws Exception {
        broker("crash-qos2-publisher", Files.createTempDirectory("it-crash-c"), roomyQueues());
        CountingSubscriber subscriber = subscriber("qos2-receiver", true, MqttQos.EXACTLY_ONCE);
        AckedPublisher publisher = new AckedPublisher("qos2-sender", broker.port(), MqttQos.EXACTLY_ONCE, true);
        clients.add(0, publisher);
        publisher.connect();

        int perCycle = 4_000;
        int cycles = 3;
        List<String> all = new java.util.ArrayList<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            String prefix = "c" + cycle;
            int killAfter = randomBetween(300, 2_000);
            int killAt = killAfter + (cycle - 1) * perCycle;
            publisher.flood("crash/" + prefix, prefix, perCycle, 500, 16);
            await(prefix + ": " + killAfter + " PUBRECs").atMost(PATIENCE)
                    .until(() -> publisher.acknowledged().size() >= killAt);
            int outstanding = publisher.outstanding();
            broker.kill();
            assertThat(outstanding).as("exchanges open at the kill").isPositive();
            broker.start();
            await(prefix + ": every message of the cycle completed (resent after session present)")
                    .atMost(PATIENCE).until(() -> publisher.floodDone() && publisher.outstanding() == 0);
            for (int i = 0; i < perCycle; i++) {
                all.add(prefix + "-" + i);
            }
            assertThat(publisher.completed()).as("every QoS 2 exchange ends with PUBCOMP").containsAll(all);
            awaitDelivered(subscriber, Set.copyOf(all), prefix);
        }
        assertThat(publisher.refused()).isEmpty();
        assertThat(subscriber.duplicates())
                .as("a PUBLISH resent with DUP after the restart is not routed twice [MQTT-4.3.3-11]").isEmpty();
        System.out.printf("CrashSafetyIT QoS 2 publisher: %d kills with PUBRECs outstanding, %,d messages, 0 lost,"
                + " 0 duplicates%n", cycles, all.size());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void givenDiskBudgetReached_whenPublishingToOfflineSession_thenRefusedWith0x97UntilTheQueueDrains()
            throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(roomyQueues());
        settings.put("BROKER_SESSION_LOG_MAX_DISK_BYTES", Long.toString(4L << 20));
        settings.put("BROKER_SESSION_LOG_SEGMENT_BYTES", Long.toString(1L << 20));
        broker("crash-disk-budget", Files.createTempDirectory("it-crash-d"), settings);
        fillUntilRefused("budget", true);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void givenFullTmpfs_whenPublishingToOfflineSession_thenRefusedWith0x97AndNothingAcknowledgedIsLost()
            throws Exception {
        Path dir = Files.createTempDirectory("it-crash-tmpfs");
        int mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start().waitFor();
        assumeTrue(mount == 0, "mounting a tmpfs is not permitted here (needs root): the disk budget variant covers"
                + " the refusal");
        mounted = dir;
        Map<String, String> settings = new java.util.HashMap<>(roomyQueues());
        settings.put("BROKER_SESSION_LOG_SEGMENT_BYTES", Long.toString(1L << 20));
        broker("crash-disk-full", dir, settings);
        // A disk filled up to its last byte: refused and nothing lost, but taking new messages again needs room for a
        // compaction snapshot, which the full disk may not have (a documented limit: free space, or use the budget).
        fillUntilRefused("tmpfs", false);
    }

    /**
     * An offline session's queue fills the disk: 1 KiB QoS 1 messages until 100 were refused. Every refusal is 0x97,
     * every acknowledged message is delivered when the subscriber drains, and then (when asked) publishing is accepted
     * again.
     */
    private void fillUntilRefused(String prefix, boolean acceptsAgainAfterDrain) throws Exception {
        CountingSubscriber subscriber = subscriber("offline-" + prefix, false, MqttQos.AT_LEAST_ONCE);
        AckedPublisher publisher = new AckedPublisher("filler-" + prefix, broker.port(), MqttQos.AT_LEAST_ONCE, false);
        clients.add(0, publisher);
        publisher.connect();

        publisher.flood("crash/" + prefix, prefix, 20_000, 50, 1024);
        await("refusals once the disk is full").atMost(PATIENCE).until(() -> publisher.refused().size() >= 100
                || publisher.floodDone());
        publisher.stop();
        await("all answered").atMost(PATIENCE).until(() -> publisher.outstanding() == 0);
        assertThat(publisher.refused()).as("the disk filled up before 20,000 messages of 1 KiB").isNotEmpty();
        // 0x97 for every refused message, the batch whose write hit the full disk included
        assertThat(new HashSet<>(publisher.refused().values())).as("0x97 Quota exceeded")
                .containsExactly(0x97);
        Set<String> acked = Set.copyOf(publisher.acknowledged());
        assertThat(acked).as("accepted until the disk was full").hasSizeGreaterThan(500);

        assertThat(subscriber.connect()).isTrue();
        awaitDelivered(subscriber, acked, "after the disk filled");
        subscriber.disconnect();
        if (!acceptsAgainAfterDrain) {
            System.out.printf("CrashSafetyIT disk full (%s): %,d acknowledged then %,d refused with 0x97, all %,d"
                    + " delivered%n", prefix, acked.size(), publisher.refused().size(), acked.size());
            return;
        }

        int[] attempt = {0};
        await("publishing accepted again after the drain").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String key = prefix + "-again-" + attempt[0]++;
                    publisher.publish("crash/" + prefix, key, 1024).handle((r, t) -> null).get(10, TimeUnit.SECONDS);
                    return publisher.acknowledged().contains(key);
                });
        String accepted = prefix + "-again-" + (attempt[0] - 1);
        assertThat(subscriber.connect()).isTrue();
        await("the message accepted after the drain is delivered").atMost(PATIENCE)
                .until(() -> subscriber.received(accepted));
        System.out.printf("CrashSafetyIT disk full (%s): %,d acknowledged then %,d refused with 0x97, all %,d"
                + " delivered; accepted again after the drain (attempt %d)%n", prefix, acked.size(),
                publisher.refused().size(), acked.size(), attempt[0]);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void givenTornLastRecord_whenBrokerRestarts_thenItTruncatesTheTailAndKeepsEverythingBefore() throws Exception {
        broker("crash-torn-tail", Files.createTempDirectory("it-crash-e"), roomyQueues());
        CountingSubscriber subscriber = subscriber("torn-tail", false, MqttQos.AT_LEAST_ONCE);
        AckedPublisher publisher = new AckedPublisher("torn-pub", broker.port(), MqttQos.AT_LEAST_ONCE, false);
        clients.add(0, publisher);
        publisher.connect();

        publisher.flood("crash/torn", "e", 3_000, 200, 16);
        await("3,000 acknowledged").atMost(PATIENCE).until(() -> publisher.floodDone()
                && publisher.outstanding() == 0);
        Set<String> before = Set.copyOf(publisher.acknowledged());
        assertThat(before).hasSize(3_000);
        publisher.publish("crash/torn", "e-last", 16).get(10, TimeUnit.SECONDS); // alone: the log's last batch
        broker.kill();

        Path segment = broker.newestSegment();
        long size = Files.size(segment);
        assertThat(size).as("the newest segment holds records").isGreaterThan(64);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3);
        }
        long mark = broker.logMark();
        broker.start();
        assertThat(broker.logSince(mark)).as("the broker says what it cut")
                .contains("truncating it to the last valid record").contains("Recovered 1 persistent session(s)");

        assertThat(subscriber.connect()).isTrue();
        awaitDelivered(subscriber, before, "before the torn batch");
        System.out.printf("CrashSafetyIT torn tail: %d of %d bytes kept, %,d messages before the torn batch all"
                + " delivered (the torn batch's message %s)%n", size - 3, size, before.size(),
                subscriber.received("e-last") ? "too" : "cut with it");
    }
}
