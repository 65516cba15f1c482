package dev.mqttsuite.auth.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.internaltls.MutualTlsFixture;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Security issue #16 finding 1: the auth-service's gRPC answers only brokers, over mutual TLS, on its internal port.
 */
@QuarkusTest
@TestProfile(AuthGrpcMutualTlsTest.MutualTls.class)
class AuthGrpcMutualTlsTest {

    static final MutualTlsFixture PKI = MutualTlsFixture.create("auth-service");

    /** Mutual TLS on, with certificates of a throw-away suite CA. */
    public static class MutualTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return PKI.overrides("auth");
        }
    }

    /** The internal gRPC port: the TLS port of the HTTP server. */
    @TestHTTPResource(value = "/", tls = true)
    URL internal;

    @Test
    void brokerCertificate_isServed() {
        AuthenticateReply reply = authenticate(PKI.channel(internal.getPort(), PKI.broker));
        assertThat(reply.getReasonCode()).as("a broker gets an answer (a refusal of the unknown user)").isNotZero();
    }

    @Test
    void nonBrokerIdentity_getsPermissionDenied() {
        assertThatThrownBy(() -> authenticate(PKI.channel(internal.getPort(), PKI.console)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void noClientCertificate_isRefused() {
        assertThatThrownBy(() -> authenticate(PKI.channel(internal.getPort(), null)))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void certificateOfAnotherCa_isRefused() {
        assertThatThrownBy(() -> authenticate(PKI.channel(internal.getPort(), PKI.foreignBroker)))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void plainGrpcOnTheHttpPort_isRefused() {
        assertThatThrownBy(() -> authenticate(plain(RestAssured.port)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void plainGrpcOnTheInternalPort_isRefused() {
        assertThatThrownBy(() -> authenticate(plain(internal.getPort()))).isInstanceOf(StatusRuntimeException.class);
    }

    private static ManagedChannel plain(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static AuthenticateReply authenticate(ManagedChannel channel) {
        try {
            return AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setClientId("c-mtls").setUsername("nobody")
                            .setPassword(ByteString.copyFromUtf8("x")).setRemoteAddress("127.0.0.1:5000")
                            .setProtocolVersion(5).build());
        } finally {
            channel.shutdownNow();
        }
    }
}
