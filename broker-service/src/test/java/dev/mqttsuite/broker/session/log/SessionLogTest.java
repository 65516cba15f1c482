package dev.mqttsuite.broker.session.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.LocalSessionDirectory;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.support.StubSessionListener;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.StoredWill;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead session log on its own: what a crash (no close) leaves is what was acknowledged; torn tails,
 * compaction, budgets. A "crash" here is a second log opened on the same directory without closing the first.
 */
class SessionLogTest {

    @TempDir
    Path dir;

    private final List<SessionLog> logs = new ArrayList<>();
    private final List<Session> live = new ArrayList<>();
    private final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
    private final SessionLimits limits = new SessionLimits(100_000, 1L << 30, false, 10_000, 5_000, 100);

    @AfterEach
    void closeLogs() {
        logs.forEach(log -> log.close());
    }

    private SessionLog open(long maxDisk) {
        SessionLog log = new SessionLog(new SessionLog.Options(dir, true, 1 << 20, maxDisk),
                new SimpleMeterRegistry());
        logs.add(log);
        return log;
    }

    private SessionLog.Recovery start(SessionLog log) throws Exception {
        SessionLog.Recovery recovery = log.recover(null);
        Collection<Session> sessions = live;
        log.start(() -> sessions).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return recovery;
    }

    /** Reopens the directory as a restarted broker would, without closing the running log (kill -9). */
    private SessionLog.Recovery crashAndRecover() throws Exception {
        SessionLog again = new SessionLog(new SessionLog.Options(dir, true, 1 << 20, Long.MAX_VALUE),
                new SimpleMeterRegistry());
        return again.recover(null);
    }

    private Session persistentSession(SessionJournal journal, String clientId, SessionListener connection) {
        Session s = new Session(clientId, limits, metrics, journal);
        s.attach(connection, 3600);
        live.add(s);
        return s;
    }

    private static Delivery delivery(String payload, int qos) {
        Message m = new Message(TopicName.of("t/" + payload), payload.getBytes(), qos, false, PublishProperties.NONE,
                "pub", 0);
        return new Delivery(m, qos, false, null, null);
    }

    private static SessionState only(SessionLog.Recovery recovery) {
        assertThat(recovery.sessions()).hasSize(1);
        return recovery.sessions().get(0);
    }

    private static List<String> payloads(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> new String(d.message().payload())).toList();
    }

    @Test
    void queuedQos1MessagesOfAnOfflineSessionSurviveACrashOnceTheBarrierCompleted() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener connection = new StubSessionListener();
        Session s = persistentSession(log, "sub", connection);
        s.putSubscription(SubscriptionTopic.parse("t/#"), new SubscriptionOptions(1, false, false, 0, 7));
        s.detach(connection);
        for (int i = 0; i < 100; i++) {
            assertThat(s.enqueue(delivery("m" + i, 1), null)).isEqualTo(Session.Enqueued.JOURNALED);
        }
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);

        SessionState state = only(crashAndRecover());
        assertThat(state.clientId()).isEqualTo("sub");
        assertThat(state.expiryIntervalSeconds()).isEqualTo(3600);
        assertThat(state.subscriptions()).containsKey(SubscriptionTopic.parse("t/#"));
        assertThat(payloads(state.queue())).hasSize(100).startsWith("m0", "m1").endsWith("m99");
    }

    @Test
    void acknowledgedDeliveriesAreNotRecoveredAndUnacknowledgedOnesKeepTheirPacketIdentifier() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener connection = new StubSessionListener();
        Session s = persistentSession(log, "sub", connection);
        s.enqueue(delivery("acked", 1), null);
        s.enqueue(delivery("inflight", 1), null);
        s.enqueue(delivery("qos2", 2), null);
        connection.runAll();
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connection.awaitAndRunAll(); // the QoS 2 PUBLISH went out once its packet identifier was durable
        assertThat(connection.sent).hasSize(3);
        s.complete(connection, connection.sent.get(0).packetId()); // PUBACK
        int qos2Id = connection.sent.get(2).packetId();
        assertThat(s.received(qos2Id, false)).isTrue(); // PUBREC
        s.journaled().toCompletableFuture().get(10, TimeUnit.SECONDS);

        SessionState state = only(crashAndRecover());
        assertThat(state.queue()).isEmpty();
        assertThat(state.inflight()).extracting(Delivery::packetId)
                .as("resent under their original identifiers [MQTT-4.4.0-1]")
                .containsExactly(connection.sent.get(1).packetId(), qos2Id);
        assertThat(state.inflight()).allMatch(Delivery::duplicate);
        assertThat(state.inflight().get(1).released()).as("QoS 2 resumes with PUBREL, not a second PUBLISH").isTrue();
    }

    @Test
    void aQos2PublishIsWrittenToTheClientOnlyAfterItsPacketIdentifierIsDurable() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener connection = new StubSessionListener();
        Session s = persistentSession(log, "sub", connection);
        s.enqueue(delivery("exactly-once", 2), null);
        connection.runAll(); // drain: the PUBLISH waits for the journal
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connection.awaitAndRunAll();
        assertThat(payloads(connection.sent)).containsExactly("exactly-once");
        SessionState state = only(crashAndRecover());
        assertThat(state.inflight()).extracting(Delivery::packetId).containsExactly(connection.sent.get(0).packetId());
    }

    @Test
    void inboundQos2StateSurvivesSoAResentPublishIsNotRoutedTwice() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        Session s = persistentSession(log, "pub", new StubSessionListener());
        assertThat(s.startInboundQos2(17)).isTrue();
        s.journalInboundQos2(17); // after routing
        assertThat(s.startInboundQos2(18)).isTrue();
        s.journalInboundQos2(18);
        assertThat(s.startInboundQos2(19)).isTrue(); // routing never finished: not journaled
        assertThat(s.releaseInboundQos2(18)).isTrue();
        s.journaled().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(only(crashAndRecover()).inboundQos2()).containsExactly(17); // [MQTT-4.3.3-10]
    }

    @Test
    void aQos2MessagesDeliveriesAndItsInboundPacketIdReachTheDiskTogetherOrNotAtAll() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener receiver = new StubSessionListener();
        Session sub = persistentSession(log, "sub", receiver);
        sub.detach(receiver);
        Session pub = persistentSession(log, "pub", new StubSessionListener());
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(pub.startInboundQos2(5)).isTrue();

        CountDownLatch routed = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> publisherLoop = CompletableFuture.runAsync(() -> log.together(() -> {
            sub.enqueue(delivery("once", 2), null); // routing
            routed.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pub.journalInboundQos2(5); // then the packet id
            return null;
        }));
        assertThat(routed.await(10, TimeUnit.SECONDS)).isTrue();
        // another loop's barrier in between (a receiver's drain): it must not see the delivery durable without the id
        CompletableFuture<Void> barrier = log.barrier().toCompletableFuture();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !barrier.isDone());
        SessionLog.Recovery midway = crashAndRecover();
        assertThat(midway.sessions()).allSatisfy(state -> {
            assertThat(state.queue()).as("no delivery on disk without its inbound packet id").isEmpty();
            assertThat(state.inboundQos2()).isEmpty();
        });

        finish.countDown();
        publisherLoop.get(10, TimeUnit.SECONDS);
        barrier.get(10, TimeUnit.SECONDS);
        SessionLog.Recovery after = crashAndRecover();
        SessionState receiverState = after.sessions().stream().filter(st -> st.clientId().equals("sub")).findFirst()
                .orElseThrow();
        SessionState publisherState = after.sessions().stream().filter(st -> st.clientId().equals("pub"))
                .findFirst().orElseThrow();
        assertThat(payloads(receiverState.queue())).containsExactly("once");
        assertThat(publisherState.inboundQos2()).as("the resend is a duplicate [MQTT-4.3.3-10]").containsExactly(5);
    }

    @Test
    void anInboundQos2IdWhoseMessageIsStillBeingRoutedIsNotInTheSessionState() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        Session s = persistentSession(log, "pub", new StubSessionListener());
        assertThat(s.startInboundQos2(19)).isTrue();
        assertThat(s.startInboundQos2(19)).as("a resend while routing is still a duplicate").isFalse();
        assertThat(s.state(System.currentTimeMillis()).inboundQos2())
                .as("a snapshot now would keep the id without the deliveries").isEmpty();
        s.journalInboundQos2(19);
        assertThat(s.state(System.currentTimeMillis()).inboundQos2()).containsExactly(19);
    }

    @Test
    void anEndedSessionAndAnUnsubscribedFilterAreGoneAfterACrash() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        Session ended = persistentSession(log, "gone", new StubSessionListener());
        ended.enqueue(delivery("x", 1), null);
        ended.end();
        Session kept = persistentSession(log, "kept", new StubSessionListener());
        kept.putSubscription(SubscriptionTopic.parse("a"), new SubscriptionOptions(1, false, false, 0, 0));
        kept.putSubscription(SubscriptionTopic.parse("b"), new SubscriptionOptions(1, false, false, 0, 0));
        kept.removeSubscription(SubscriptionTopic.parse("a"));
        kept.will(new StoredWill(delivery("will", 1).message(), 5, -1));
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);

        SessionLog.Recovery recovery = crashAndRecover();
        SessionState state = only(recovery);
        assertThat(state.clientId()).isEqualTo("kept");
        assertThat(state.subscriptions()).containsOnlyKeys(SubscriptionTopic.parse("b"));
        assertThat(state.will().delaySeconds()).isEqualTo(5);
        assertThat(recovery.attachedAtStop()).as("its connection died with the broker: the will is due")
                .containsExactly("kept");
    }

    @Test
    void aTornLastRecordIsCutOffAndEverythingBeforeItRecovered() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener connection = new StubSessionListener();
        Session s = persistentSession(log, "sub", connection);
        s.detach(connection);
        for (int i = 0; i < 10; i++) {
            s.enqueue(delivery("m" + i, 1), null);
            log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS); // one frame each
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 3); // the last frame lost its last bytes
        }
        assertThat(payloads(only(crashAndRecover()).queue())).containsExactly("m0", "m1", "m2", "m3", "m4", "m5",
                "m6", "m7", "m8");
        assertThat(Files.size(segment)).as("cut to the last whole frame").isLessThan(size - 3);

        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(file.length());
            file.write(new byte[] {0, 0, 0, 42, 1, 2, 3, 4, 9, 9}); // garbage after the last frame
        }
        assertThat(only(crashAndRecover()).queue()).hasSize(9);
    }

    @Test
    void compactionKeepsTheLiveStateAndDeletesWhatCameBefore() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        StubSessionListener connection = new StubSessionListener();
        Session s = persistentSession(log, "sub", connection);
        s.detach(connection);
        for (int i = 0; i < 2_000; i++) {
            s.enqueue(delivery("m" + i, 1), null);
        }
        log.compact().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 2_000; i < 2_100; i++) {
            s.enqueue(delivery("m" + i, 1), null); // after the snapshot: only in the new segment
        }
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("snapshot-")).count())
                    .isEqualTo(1);
        }
        SessionState state = only(crashAndRecover());
        assertThat(state.queue()).hasSize(2_100);
        assertThat(payloads(state.queue()).get(2_099)).isEqualTo("m2099");
    }

    @Test
    void overTheDiskBudgetNewQos1MessagesForPersistentSessionsAreRefusedNotAcknowledged() throws Exception {
        SessionLog log = open(4_096);
        start(log);
        Session s = persistentSession(log, "sub", new StubSessionListener());
        Session.Enqueued last = Session.Enqueued.JOURNALED;
        for (int i = 0; i < 200 && last == Session.Enqueued.JOURNALED; i++) {
            last = s.enqueue(delivery("payload-" + i, 1), null);
            log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(last).isEqualTo(Session.Enqueued.NOT_DURABLE);
        assertThat(log.refusal()).isEqualTo(SessionJournal.Refusal.QUOTA_EXCEEDED);
        assertThat(s.enqueue(delivery("qos0", 0), null)).as("QoS 0 is not logged").isEqualTo(
                Session.Enqueued.QUEUED);
    }

    @Test
    void aSessionReplacedByCleanStartComesBackAsTheNewSessionNotAsNothing() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        LocalSessionDirectory directory = new LocalSessionDirectory(limits, metrics, log, ended -> { }, orphan -> { });
        live.clear();
        StubSessionListener first = new StubSessionListener();
        Session old = directory.attach("c", false, first, 3600).toCompletableFuture().get().session();
        old.putSubscription(SubscriptionTopic.parse("old"), new SubscriptionOptions(1, false, false, 0, 0));
        StubSessionListener second = new StubSessionListener();
        Session fresh = directory.attach("c", true, second, 3600).toCompletableFuture().get().session();
        fresh.putSubscription(SubscriptionTopic.parse("new"), new SubscriptionOptions(1, false, false, 0, 0));
        directory.detach(old, first); // the old connection closes after the takeover
        log.barrier().toCompletableFuture().get(10, TimeUnit.SECONDS);

        SessionState state = only(crashAndRecover());
        assertThat(state.subscriptions()).as("the old session's end is recorded before the new one starts")
                .containsOnlyKeys(SubscriptionTopic.parse("new"));
    }

    @Test
    void aSnapshotTakenWhileTheClientIsConnectedStillMarksItAttached() throws Exception {
        SessionLog log = open(Long.MAX_VALUE);
        start(log);
        Session s = persistentSession(log, "online", new StubSessionListener());
        s.will(new StoredWill(delivery("w", 1).message(), 0, -1));
        log.compact().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SessionLog.Recovery recovery = crashAndRecover();
        assertThat(recovery.attachedAtStop()).as("its will is due after the crash").containsExactly("online");
    }
}
