package dev.mqttsuite.retained.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.v1.GetRequest;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import dev.mqttsuite.retained.v1.StatsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RetainedStoreGrpcServiceTest {

    /** gRPC in plain text (the test profile) is served on the HTTP port. */
    @TestHTTPResource("/")
    URL internal;

    private ManagedChannel channel;
    private RetainedStoreGrpc.RetainedStoreBlockingStub blocking;
    private String prefix;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", internal.getPort()).usePlaintext().build();
        blocking = RetainedStoreGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        prefix = "g" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private void put(String topic, String payload) {
        // a deadline per put: on a loaded machine a test's hundreds of fsync'd puts outlast one shared deadline
        blocking.withDeadlineAfter(30, TimeUnit.SECONDS).put(PutRequest.newBuilder().setMessage(
                RetainedMessage.newBuilder().setTopic(topic).setQos(1).setPayload(ByteString.copyFromUtf8(payload)))
                .build());
    }

    @Test
    void putGetAndStats() {
        put(prefix + "/a", "hello");
        assertThat(blocking.get(GetRequest.newBuilder().setTopic(prefix + "/a").build()).getMessage().getPayload()
                .toStringUtf8()).isEqualTo("hello");
        assertThat(blocking.stats(StatsRequest.getDefaultInstance()).getCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void matchStreamsEveryMatch() {
        for (int i = 0; i < 500; i++) {
            put(prefix + "/dev" + i + "/state", "s" + i);
        }
        Iterator<RetainedMessage> stream = blocking.match(MatchRequest.newBuilder().setFilter(prefix + "/+/state")
                .build());
        int count = 0;
        while (stream.hasNext()) {
            stream.next();
            count++;
        }
        assertThat(count).isEqualTo(500);
    }

    @Test
    void matchHonoursFlowControl_theServerSendsOnlyWhatIsRequested() throws Exception {
        for (int i = 0; i < 200; i++) {
            put(prefix + "/fc/" + i, "x".repeat(100));
        }
        AtomicInteger received = new AtomicInteger();
        AtomicReference<ClientCallStreamObserver<MatchRequest>> call = new AtomicReference<>();
        CountDownLatch completed = new CountDownLatch(1);
        RetainedStoreGrpc.newStub(channel).match(MatchRequest.newBuilder().setFilter(prefix + "/fc/+").build(),
                new ClientResponseObserver<MatchRequest, RetainedMessage>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<MatchRequest> requestStream) {
                        call.set(requestStream);
                        requestStream.disableAutoRequestWithInitial(10);
                    }

                    @Override
                    public void onNext(RetainedMessage value) {
                        received.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                        completed.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        completed.countDown();
                    }
                });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> received.get() == 10);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300))
                .atMost(java.time.Duration.ofSeconds(2)).until(() -> received.get() == 10);
        call.get().request(1000);
        assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(received.get()).isEqualTo(200);
    }

    @Test
    void invalidFilter_isInvalidArgumentNamingTheRule() {
        assertThatThrownBy(() -> blocking.match(MatchRequest.newBuilder().setFilter("a/#/b").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("MQTT-4.7.1-2");
                });
    }

    @Test
    void payloadAboveLimit_isResourceExhausted_andCountedByLimit() {
        double before = refused("max-payload-size");
        assertThatThrownBy(() -> put(prefix + "/big", "x".repeat(1_100_000)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("retained.limits.max-payload-size");
                });
        assertThat(refused("max-payload-size")).isEqualTo(before + 1);
        assertThat(registry.get("retained.limit.messages").gauge().value()).isEqualTo(500_000);
        assertThat(registry.get("retained.over.limit").gauge().value()).isZero();
    }

    private double refused(String limit) {
        var counter = registry.find("retained.puts.refused").tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;
}
