package dev.mqttsuite.retained.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.internaltls.MutualTlsFixture;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Security issue #16 finding 1: the retained store's gRPC (Put, Match "#") answers only brokers, over mutual TLS, on
 * its internal port.
 */
@QuarkusTest
@TestProfile(RetainedGrpcMutualTlsTest.MutualTls.class)
class RetainedGrpcMutualTlsTest {

    static final MutualTlsFixture PKI = MutualTlsFixture.create("retained-store-service");

    /** Mutual TLS on, with certificates of a throw-away suite CA. */
    public static class MutualTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return PKI.overrides("retained");
        }
    }

    /** The internal gRPC port: the TLS port of the HTTP server. */
    @TestHTTPResource(value = "/", tls = true)
    URL internal;

    @Test
    void brokerCertificate_mayPutAndMatch() {
        String topic = "mtls/" + UUID.randomUUID();
        call(PKI.channel(internal.getPort(), PKI.broker), store -> store.put(PutRequest.newBuilder()
                .setMessage(RetainedMessage.newBuilder().setTopic(topic).setPayload(ByteString.copyFromUtf8("v"))
                        .setQos(1)).build()));
        List<String> topics = call(PKI.channel(internal.getPort(), PKI.broker), store -> {
            List<String> found = new java.util.ArrayList<>();
            store.match(MatchRequest.newBuilder().setFilter(topic).build()).forEachRemaining(m -> found.add(m.getTopic()));
            return found;
        });
        assertThat(topics).containsExactly(topic);
    }

    @Test
    void nonBrokerIdentity_getsPermissionDenied_onMatchAll() {
        assertThatThrownBy(() -> call(PKI.channel(internal.getPort(), PKI.console),
                RetainedGrpcMutualTlsTest::matchAll))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void noClientCertificate_isRefused() {
        assertThatThrownBy(() -> call(PKI.channel(internal.getPort(), null), RetainedGrpcMutualTlsTest::matchAll))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void certificateOfAnotherCa_isRefused() {
        assertThatThrownBy(() -> call(PKI.channel(internal.getPort(), PKI.foreignBroker),
                RetainedGrpcMutualTlsTest::matchAll)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void plainGrpcOnTheHttpPort_isRefused() {
        assertThatThrownBy(() -> call(plain(RestAssured.port), RetainedGrpcMutualTlsTest::matchAll))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void plainGrpcOnTheInternalPort_isRefused() {
        assertThatThrownBy(() -> call(plain(internal.getPort()), RetainedGrpcMutualTlsTest::matchAll))
                .isInstanceOf(StatusRuntimeException.class);
    }

    private static int matchAll(RetainedStoreGrpc.RetainedStoreBlockingStub store) {
        int[] count = new int[1];
        store.match(MatchRequest.newBuilder().setFilter("#").build()).forEachRemaining(m -> count[0]++);
        return count[0];
    }

    private static ManagedChannel plain(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static <T> T call(ManagedChannel channel, Function<RetainedStoreGrpc.RetainedStoreBlockingStub, T> call) {
        try {
            return call.apply(RetainedStoreGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow();
        }
    }
}
