package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A retained read against a real gRPC server on 127.0.0.1 that fails, disappears and comes back: the read is retried
 * with back-off, resumes without sending a topic twice, waits for a store that is down, and ends (counted) when the
 * store stays away for its whole window.
 */
class RetainedMatchStreamTest {

    private static final RetainedMatchStream.Policy QUICK = new RetainedMatchStream.Policy(5_000, 20, 200);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Delay delay = (millis, task) -> {
        var scheduled = timers.schedule(task, millis, TimeUnit.MILLISECONDS);
        return () -> scheduled.cancel(false);
    };
    private final FakeStore store = new FakeStore();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final RetainedMatchStream.Listener listener = new RetainedMatchStream.Listener() {
        @Override
        public void retrying(String filter, Status status, int attempt) {
            retries.incrementAndGet();
        }

        @Override
        public void gaveUp(String filter, Status status, int attempts) {
            gaveUp.incrementAndGet();
        }
    };
    private final int port = freePort();
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        timers.shutdownNow();
    }

    @Test
    void givenTheStoreFailsMidStream_whenTheReadIsRetried_thenEveryTopicArrivesExactlyOnce_withinTheDemand() throws IOException {
        store.script.add((request, out) -> {
            IntStream.range(0, 5).forEach(i -> out.onNext(message("a/" + i)));
            out.onError(Status.UNAVAILABLE.withDescription("store killed").asRuntimeException());
        });
        store.script.add((request, out) -> { // a new read: other order, and everything again
            IntStream.iterate(9, i -> i >= 0, i -> i - 1).forEach(i -> out.onNext(message("a/" + i)));
            out.onCompleted();
        });
        startServer();

        AssertSubscriber<Message> subscriber = read("a/+", QUICK, 7);
        subscriber.awaitItems(7, Duration.ofSeconds(5)).assertNotTerminated(); // the demand left carried over
        subscriber.request(100);
        subscriber.awaitCompletion(Duration.ofSeconds(5));

        List<String> topics = subscriber.getItems().stream().map(m -> m.topic().value()).toList();
        assertThat(topics).as("each topic once, though the second call sent all ten").hasSize(10)
                .doesNotHaveDuplicates();
        assertThat(retries).as("one retry").hasValue(1);
        assertThat(store.calls).hasValue(2);
    }

    @Test
    void givenTheStoreIsDown_whenASubscriptionReads_thenItIsServedOnceTheStoreIsBackOnTheSamePort()
            throws IOException {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        new ChannelReconnect(channel, delay, 50).start();
        store.script.add((request, out) -> {
            out.onNext(message("b/1"));
            out.onCompleted();
        });

        AssertSubscriber<Message> subscriber = read("b/#", QUICK, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.getState(false)
                == ConnectivityState.TRANSIENT_FAILURE);
        subscriber.assertNotTerminated().assertHasNotReceivedAnyItem();

        startServer();
        subscriber.awaitCompletion(Duration.ofSeconds(3));
        assertThat(subscriber.getItems()).extracting(m -> m.topic().value()).containsExactly("b/1");
        assertThat(gaveUp).hasValue(0);
    }

    @Test
    void givenTheStoreStaysDown_whenTheWindowPasses_thenTheReadEndsWithUnavailable_andIsCounted() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        new ChannelReconnect(channel, delay, 50).start();

        AssertSubscriber<Message> subscriber = read("c/#", new RetainedMatchStream.Policy(300, 20, 100), 10);

        subscriber.awaitFailure(Duration.ofSeconds(5));
        assertThat(subscriber.getFailure()).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(gaveUp).as("counted once").hasValue(1);
    }

    @Test
    void givenAPermanentError_thenTheReadFailsAtOnce_withoutRetrying() throws IOException {
        store.script.add((request, out) -> out.onError(Status.INVALID_ARGUMENT.withDescription("bad filter")
                .asRuntimeException()));
        startServer();

        AssertSubscriber<Message> subscriber = read("d/#", QUICK, 10);

        subscriber.awaitFailure(Duration.ofSeconds(5));
        assertThat(((StatusRuntimeException) subscriber.getFailure()).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(retries).hasValue(0);
    }

    @Test
    void aCallThatFailsAtOnce_signalsOnSubscribeFirst_soTheFailureReachesTheSubscriberAsItIs() {
        // A shut-down channel fails calls synchronously, inside the stub call: the failure must not overtake
        // onSubscribe (it did: "NullPointerException: Subscription not set!" and the read was lost).
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        channel.shutdownNow();

        AssertSubscriber<Message> subscriber = read("e/#", new RetainedMatchStream.Policy(50, 10, 20), 10);

        subscriber.awaitFailure(Duration.ofSeconds(5));
        assertThat(subscriber.getFailure()).as("the store's status, not a protocol violation")
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void whenTheSubscriberCancels_theStoreCallIsCancelled_andNothingMoreArrives() throws IOException {
        store.script.add((request, out) -> IntStream.range(0, 100).forEach(i -> out.onNext(message("f/" + i))));
        startServer();

        AssertSubscriber<Message> subscriber = read("f/#", QUICK, 2);
        subscriber.awaitItems(2, Duration.ofSeconds(5)).cancel();
        subscriber.request(10);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.cancelled.get() == 1);
        assertThat(subscriber.getItems()).hasSize(2);
    }

    private AssertSubscriber<Message> read(String filter, RetainedMatchStream.Policy policy, long initialDemand) {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }
        RetainedStoreGrpc.RetainedStoreStub stub = RetainedStoreGrpc.newStub(channel);
        return Multi.createFrom().<Message>publisher(s -> new RetainedMatchStream(stub, filter, s, policy, delay,
                listener).start()).subscribe().withSubscriber(AssertSubscriber.create(initialDemand));
    }

    private void startServer() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(store).build()
                .start();
    }

    private static RetainedMessage message(String topic) {
        return RetainedMessage.newBuilder().setTopic(topic).setPayload(ByteString.copyFromUtf8(topic)).setQos(1)
                .build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers each Match call with the next scripted behaviour. */
    private static final class FakeStore extends RetainedStoreGrpc.RetainedStoreImplBase {
        final Queue<BiConsumer<MatchRequest, StreamObserver<RetainedMessage>>> script = new ConcurrentLinkedQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public void match(MatchRequest request, StreamObserver<RetainedMessage> response) {
            calls.incrementAndGet();
            ((io.grpc.stub.ServerCallStreamObserver<RetainedMessage>) response)
                    .setOnCancelHandler(cancelled::incrementAndGet);
            script.remove().accept(request, response);
        }
    }
}
