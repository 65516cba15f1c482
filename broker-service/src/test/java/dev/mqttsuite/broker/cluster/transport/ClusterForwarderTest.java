package dev.mqttsuite.broker.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.MessageForwarder.Dispatch;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.support.RecordingSubscriber;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionLimits;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.GrpcServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forwarding between two brokers over a real gRPC stream on 127.0.0.1, without Hazelcast: the receiving side routes to
 * its own sessions once, in order; QoS 1 stages complete at the peer's acknowledgement; a stalled peer fills the
 * window, drops QoS 0 beyond it and holds QoS 1 instead of growing memory; a frame sent again is routed once.
 */
@Timeout(60)
class ClusterForwarderTest {

    private static final String PEER = "member-b";
    private static final String LOCAL = "member-a";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMetrics metrics = new BrokerMetrics(registry);
    private BrokerConfig config;
    private HttpServer server;
    private ForwardReceiver receiver;
    private LocalRouteTable receiverRoutes;
    private ClusterForwarder forwarder;
    private final RemoteRoutes remote = new RemoteRoutes(32);
    private final Set<String> localRoutes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<RecordingSubscriber, Session> subscribers = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        config = BrokerConfigValidatorTest.config(Map.of("broker.cluster.forward.window", "100",
                "broker.cluster.forward.batch-size", "10", "broker.session.backpressure-high-watermark", "50",
                "broker.session.backpressure-low-watermark", "10"));
        receiverRoutes = new LocalRouteTable(32);
        receiver = new ForwardReceiver(vertx, registry);
        receiver.attach(new Router(receiverRoutes, metrics, s -> Permissions.ALL),
                dev.mqttsuite.broker.session.SessionJournal.IN_MEMORY);
        GrpcServer grpc = GrpcServer.server(vertx, ForwardReceiver.serverOptions(
                config.limits().maxPacketSize(), config.cluster().forward().batchBytes()));
        grpc.callHandler(ForwardMethod.SERVER, receiver::open);
        server = vertx.createHttpServer(ChannelSecurity.PLAINTEXT.serverOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(grpc);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        forwarder = new ClusterForwarder(remote, localRoutes::contains, vertx, ChannelSecurity.PLAINTEXT, LOCAL,
                "node-a", config.cluster().forward(), registry);
        forwarder.peerJoined(new Peer(PEER, "node-b", "127.0.0.1", server.actualPort()));
        await("stream open").atMost(WAIT).until(() -> forwarder.connectedPeers() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        forwarder.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RecordingSubscriber subscribe(String clientId, String filter) {
        Session session = new Session(clientId, SessionLimits.from(config), metrics);
        RecordingSubscriber subscriber = new RecordingSubscriber();
        session.attach(subscriber, 0);
        subscribers.put(subscriber, session);
        receiverRoutes.subscribe(session, SubscriptionTopic.parse(filter), new SubscriptionOptions(2, false, false,
                0, 0));
        return subscriber;
    }

    private static Message message(String topic, String payload, int qos) {
        return new Message(TopicName.of(topic), payload.getBytes(StandardCharsets.UTF_8), qos, false,
                PublishProperties.NONE, "publisher", 0);
    }

    private double meter(String name) {
        return registry.find(name).tag("peer", "node-b").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void givenRouteToPeer_thenEachMessageIsRoutedThereOnceInOrder_andQos1CompletesAtItsAcknowledgement() {
        RecordingSubscriber one = subscribe("one", "orders/#");
        RecordingSubscriber two = subscribe("two", "orders/+");
        remote.add(PEER, "orders/#");
        remote.add(PEER, "orders/+"); // two matching routes of one peer: still one copy to it

        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            stages.add(forwarder.forward(message("orders/" + (i % 3), "m" + i, 1)).toCompletableFuture());
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add("m" + i);
        }
        await().atMost(WAIT).until(() -> one.received.size() == 500 && two.received.size() == 500);
        assertThat(one.received).as("each message once, in publish order").containsExactlyElementsOf(expected);
        assertThat(two.received).containsExactlyElementsOf(expected);
        assertThat(receiver.receivedCount()).as("one copy per peer, not per subscriber").isEqualTo(500);
        assertThat(meter("mqtt.cluster.forward.messages")).isEqualTo(500);
    }

    @Test
    void givenMessagesAsLargeAsTheMaximumPacket_thenTheyCrossToThePeerAndTheStreamStaysUp() {
        RecordingSubscriber one = subscribe("one", "big/#");
        remote.add(PEER, "big/#");
        String large = "x".repeat(config.limits().maxPacketSize() - 1024); // above gRPC's 256 KiB default frame

        forwarder.forward(message("big/1", large, 1)).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        forwarder.forward(message("big/2", "small", 1)).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        await().atMost(WAIT).until(() -> one.received.size() == 2);
        assertThat(one.received).containsExactly(large, "small");
        assertThat(forwarder.connectedPeers()).as("the stream survived the large frame").isEqualTo(1);
    }

    @Test
    void givenNoRemoteRoute_thenNothingIsSentAndTheStageIsComplete() {
        remote.add(PEER, "orders/#");
        CompletionStage<Void> stage = forwarder.forward(message("other/topic", "x", 1));
        assertThat(stage.toCompletableFuture()).isCompleted();
        assertThat(forwarder.forward(message("$SYS/broker/uptime", "1", 0)).toCompletableFuture())
                .as("$SYS stays on its broker").isCompleted();
        assertThat(receiver.receivedCount()).isZero();
    }

    @Test
    void givenMessageWithProperties_thenThePeerRoutesThemUnchanged() {
        RecordingSubscriber one = subscribe("one", "props/#");
        remote.add(PEER, "props/#");
        Message sent = new Message(TopicName.of("props/a"), "body".getBytes(StandardCharsets.UTF_8), 1, true,
                new PublishProperties(1, "text/plain", "reply/here", new byte[] {1, 2},
                        List.of(new UserProperty("k", "v"), new UserProperty("k", "v2"))), "pub",
                System.currentTimeMillis() + 60_000);
        ClusterMessage encoded = MessageCodec.encode(sent, System.currentTimeMillis());
        Message decoded = MessageCodec.decode(encoded, System.currentTimeMillis());
        assertThat(decoded.properties().userProperties()).containsExactlyElementsOf(sent.properties().userProperties());
        assertThat(decoded.properties().contentType()).isEqualTo("text/plain");
        assertThat(decoded.properties().responseTopic()).isEqualTo("reply/here");
        assertThat(decoded.properties().correlationData()).containsExactly(1, 2);
        assertThat(decoded.properties().payloadFormatIndicator()).isEqualTo(1);
        assertThat(decoded.retain()).isTrue();
        assertThat(decoded.publisherClientId()).isEqualTo("pub");
        assertThat(decoded.expiresAtMillis() - System.currentTimeMillis()).isBetween(50_000L, 60_000L);

        forwarder.forward(sent).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> one.received.equals(List.of("body")));
    }

    @Test
    void givenStalledSubscriberOnThePeer_thenTheWindowFills_qos0IsDropped_andQos1WaitsInsteadOfGrowingMemory() {
        RecordingSubscriber stalled = subscribe("stalled", "load/#");
        stalled.full = true; // reads nothing: its queue fills, the inbound stream is paused, acks stop
        remote.add(PEER, "load/#");

        List<CompletableFuture<Void>> qos1 = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            qos1.add(forwarder.forward(message("load/x", "q" + i, 1)).toCompletableFuture());
        }
        await("the window is full and the rest waits").atMost(WAIT).until(() -> qos1.stream()
                .filter(CompletableFuture::isDone).count() < 2_000 && gauge("mqtt.cluster.forward.queued") > 0);
        long done = qos1.stream().filter(CompletableFuture::isDone).count();
        double inflight = gauge("mqtt.cluster.forward.inflight");
        assertThat(inflight + gauge("mqtt.cluster.forward.queued")).as("QoS 1 held, not acknowledged")
                .isGreaterThan(1_000);
        assertThat(done).as("only what the peer routed is acknowledged").isLessThan(1_000);

        for (int i = 0; i < 500; i++) {
            forwarder.forward(message("load/x", "zero" + i, 0));
        }
        assertThat(meter("mqtt.cluster.forward.dropped")).as("QoS 0 beyond the window is dropped and counted")
                .isEqualTo(500);

        stalled.full = false; // the subscriber reads again: everything flows, nothing lost
        vertx.setPeriodic(20, id -> drainAll());
        CompletableFuture.allOf(qos1.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> stalled.received.stream().filter(p -> p.startsWith("q")).count() == 2_000);
        List<String> inOrder = stalled.received.stream().filter(p -> p.startsWith("q")).toList();
        for (int i = 0; i < 2_000; i++) {
            assertThat(inOrder.get(i)).as("order kept through the pause").isEqualTo("q" + i);
        }
    }

    private void drainAll() {
        subscribers.forEach((subscriber, session) -> session.drain(subscriber));
    }

    private double gauge(String name) {
        return registry.find(name).tag("peer", "node-b").gauges().stream().mapToDouble(g -> g.value()).sum();
    }

    @Test
    void givenFrameSentAgainOnANewStream_thenThePeerRoutesItOnce() throws Exception {
        RecordingSubscriber one = subscribe("one", "dup/#");
        GrpcClient client = GrpcClient.client(vertx, ChannelSecurity.PLAINTEXT.clientOptions());
        ForwardBatch hello = ForwardBatch.newBuilder().setSequence(0).setSenderMember("member-x").setSenderNode("x")
                .build();
        ForwardBatch frame = ForwardBatch.newBuilder().setSequence(1).addMessages(MessageCodec.encode(
                message("dup/1", "once", 1), System.currentTimeMillis())).build();
        for (int stream = 0; stream < 2; stream++) {
            CompletableFuture<Long> acked = new CompletableFuture<>();
            GrpcClientRequest<ForwardBatch, ForwardAck> request = client.request(SocketAddress.inetSocketAddress(
                    server.actualPort(), "127.0.0.1"), BrokerClusterGrpc.getForwardMethod()).toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            request.response().onSuccess(response -> response.handler(ack -> acked.complete(ack.getSequence())));
            request.write(hello);
            request.write(frame);
            assertThat(acked.get(10, TimeUnit.SECONDS)).as("acknowledged on stream %d", stream).isEqualTo(1);
            request.cancel();
        }
        assertThat(one.received).as("routed once").containsExactly("once");
        client.close();
    }

    private static final TopicFilter JOBS = TopicFilter.of("jobs/+");

    @Test
    void givenGroupAssignedToThePeer_thenThePeerServesThatGroupOnly_andItsPlainSubscribersOnlyWithAPlainRoute() {
        RecordingSubscriber member = subscribe("g1", "$share/g/jobs/+");
        RecordingSubscriber otherGroup = subscribe("h1", "$share/h/jobs/+");
        RecordingSubscriber plain = subscribe("p1", "jobs/+");
        remote.add(PEER, "$share/g/jobs/+"); // the peer announced group g only

        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Dispatch dispatch = forwarder.dispatch(message("jobs/" + i, "s" + i, 1));
            assertThat(dispatch.localGroups().servesLocally("g", JOBS)).as("g is served by the peer, not here")
                    .isFalse();
            assertThat(dispatch.localGroups().servesLocally("h", JOBS)).as("a group the peer was not assigned")
                    .isTrue();
            stages.add(dispatch.accepted().toCompletableFuture());
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> member.received.size() == 10);
        assertThat(otherGroup.received).as("only the groups assigned to the peer, none of its others").isEmpty();
        assertThat(plain.received).as("shared_only: the peer has no plain route for it").isEmpty();

        remote.add(PEER, "jobs/+");
        forwarder.forward(message("jobs/x", "both", 1)).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> plain.received.equals(List.of("both")));
        assertThat(member.received).as("one copy carries the plain route and the group").hasSize(11);
        assertThat(receiver.receivedCount()).isEqualTo(11);
    }

    @Test
    void givenGroupOnThisBrokerAndThePeer_thenEachMessageGoesToOneOfThem_roundRobin_andToThePeerOnlyOnceThisOneHasNoMember() {
        RecordingSubscriber member = subscribe("g1", "$share/g/jobs/+");
        remote.add(PEER, "$share/g/jobs/+");
        remote.add(LOCAL, "$share/g/jobs/+"); // this broker's own shared route, as HazelcastRoutes adds it
        localRoutes.add("$share/g/jobs/+");

        int local = 0;
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Dispatch dispatch = forwarder.dispatch(message("jobs/1", "r" + i, 1));
            if (dispatch.localGroups().servesLocally("g", JOBS)) {
                local++;
            }
            stages.add(dispatch.accepted().toCompletableFuture());
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
        int remoteShare = 100 - local;
        await().atMost(WAIT).until(() -> member.received.size() == remoteShare);
        assertThat(local).as("round-robin over the two brokers of the group").isEqualTo(50);

        localRoutes.remove("$share/g/jobs/+"); // the last local member left; its route is still in the index
        for (int i = 0; i < 10; i++) {
            assertThat(forwarder.dispatch(message("jobs/1", "p" + i, 1)).localGroups().servesLocally("g", JOBS))
                    .as("never assigned to a broker without members").isFalse();
        }
        await().atMost(WAIT).until(() -> member.received.size() == remoteShare + 10);

        localRoutes.add("$share/g/jobs/+");
        forwarder.peerLeft(new Peer(PEER, "node-b", "127.0.0.1", server.actualPort()));
        for (int i = 0; i < 10; i++) {
            assertThat(forwarder.dispatch(message("jobs/1", "l" + i, 1)).localGroups().servesLocally("g", JOBS))
                    .as("the peer left: every message of the group is served here").isTrue();
        }
    }

    @Test
    void givenSharedQos1MessagesAPeersMemberHasNotAcknowledged_whenThatPeerLeaves_thenTheyGoToAMemberHere() {
        RecordingSubscriber member = subscribe("g1", "$share/g/jobs/+"); // the peer's only member, never acking yet
        remote.add(PEER, "$share/g/jobs/+");
        List<String> redelivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        forwarder.attachLocal((m, shareName, filter) -> redelivered.add(new String(m.payload(),
                StandardCharsets.UTF_8) + "@" + SharedGroupSelector.key(shareName, filter)));

        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stages.add(forwarder.dispatch(message("jobs/1", "k" + i, 1)).accepted().toCompletableFuture());
        }
        forwarder.dispatch(message("jobs/1", "at-most-once", 0));
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> member.received.size() == 21);
        assertThat(forwarder.custodySize()).as("a copy of each QoS 1 message, none of QoS 0").isEqualTo(20);

        Session session = subscribers.get(member);
        for (int i = 0; i < 5; i++) {
            session.complete(member, member.packetIds.get(i)); // PUBACK for k0..k4
        }
        await("the peer settles what its member acknowledged").atMost(WAIT)
                .until(() -> forwarder.custodySize() == 15);

        localRoutes.add("$share/g/jobs/+"); // a member here now
        remote.add(LOCAL, "$share/g/jobs/+");
        forwarder.peerLeft(new Peer(PEER, "node-b", "127.0.0.1", server.actualPort())); // the peer died
        List<String> expected = new ArrayList<>();
        for (int i = 5; i < 20; i++) {
            expected.add("k" + i + "@$share/g/jobs/+");
        }
        assertThat(redelivered).as("what its member had not acknowledged, to another member [MQTT 5.0 4.8.2]")
                .containsExactlyElementsOf(expected);
        assertThat(forwarder.custodySize()).isZero();
        assertThat(registry.get("mqtt.cluster.shared.redelivered").counter().count()).isEqualTo(15);
    }

    @Test
    void givenASharedMessageThePeersPersistentMemberRecorded_thenNoCopyIsKept() {
        Session session = new Session("durable", SessionLimits.from(config), metrics,
                new dev.mqttsuite.broker.session.log.RecordingJournal() {
                    @Override
                    protected void append(dev.mqttsuite.broker.session.log.LogRecord record) {
                    }

                    @Override
                    public CompletionStage<Void> barrier() {
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public boolean durable() {
                        return true;
                    }
                });
        session.attach(new RecordingSubscriber(), 3600); // outlives its connection: the journal answers for it
        receiverRoutes.subscribe(session, SubscriptionTopic.parse("$share/g/jobs/+"), new SubscriptionOptions(1,
                false, false, 0, 0));
        remote.add(PEER, "$share/g/jobs/+");

        forwarder.dispatch(message("jobs/1", "kept-by-the-session", 1)).accepted().toCompletableFuture()
                .orTimeout(20, TimeUnit.SECONDS).join();
        await("settled as soon as the session recorded it").atMost(WAIT).until(() -> forwarder.custodySize() == 0);
    }

    @Test
    void givenSharedMessageHandedOn_thenThePeerDeliversItToItsGroupOnly() {
        RecordingSubscriber member = subscribe("g1", "$share/g/jobs/+");
        RecordingSubscriber plain = subscribe("p1", "jobs/+");
        remote.add(PEER, "$share/g/jobs/+");
        remote.add(PEER, "jobs/+");

        assertThat(forwarder.forwardShared(message("jobs/1", "orphan", 1), "g", JOBS, null)).isTrue();
        assertThat(forwarder.forwardShared(message("jobs/1", "nobody", 1), "h", JOBS, null))
                .as("no broker has members of h").isFalse();

        await().atMost(WAIT).until(() -> member.received.equals(List.of("orphan")));
        assertThat(plain.received).as("a handed-on message is for its group only").isEmpty();
    }
}
