package dev.mqttsuite.auth.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.internaltls.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Security issue #16 finding 1: the auth-service's gRPC answers only brokers, over mutual TLS, on its internal port.
 */
@QuarkusTest
@TestProfile(AuthGrpcMutualTlsTest.MutualTls.class)
class AuthGrpcMutualTlsTest {

    /** Mutual TLS on, with certificates of a throw-away suite CA. */
    public static class MutualTls implements QuarkusTestProfile {
        static final Path DIR;
        static final TestPki.Issued SERVER;
        static final TestPki.Issued BROKER;
        static final TestPki.Issued CONSOLE;
        static final TestPki.Issued FOREIGN_BROKER;

        static {
            try {
                DIR = Files.createTempDirectory("auth-mtls");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            TestPki suite = TestPki.create(DIR.resolve("suite"), "ca");
            SERVER = suite.issue("auth-service", "auth-service");
            BROKER = suite.issue("broker", "broker");
            CONSOLE = suite.issue("console", "console");
            FOREIGN_BROKER = TestPki.create(DIR.resolve("foreign"), "ca").issue("broker", "broker");
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.internal-tls.plaintext", "false",
                    "auth.internal-tls.cert", SERVER.cert().toString(),
                    "auth.internal-tls.key", SERVER.key().toString(),
                    "auth.internal-tls.ca", SERVER.ca().toString());
        }
    }

    @Inject
    InternalGrpcServer internal;

    @Test
    void brokerCertificate_isServed() {
        AuthenticateReply reply = call(tls(MutualTls.BROKER), this::authenticate);
        assertThat(reply.getReasonCode()).as("a broker gets an answer (a refusal of the unknown user)").isNotZero();
    }

    @Test
    void nonBrokerIdentity_getsPermissionDenied() {
        assertThatThrownBy(() -> call(tls(MutualTls.CONSOLE), this::authenticate))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void noClientCertificate_isRefused() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", internal.port())
                .sslContext(ssl(GrpcSslContexts.forClient().trustManager(MutualTls.SERVER.ca().toFile()))).build();
        assertThatThrownBy(() -> call(channel, this::authenticate)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void certificateOfAnotherCa_isRefused() {
        assertThatThrownBy(() -> call(tls(MutualTls.FOREIGN_BROKER), this::authenticate))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void plainGrpcOnTheHttpPort_isRefused() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext()
                .build();
        assertThatThrownBy(() -> call(channel, this::authenticate))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void plainGrpcOnTheInternalPort_isRefused() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", internal.port()).usePlaintext()
                .build();
        assertThatThrownBy(() -> call(channel, this::authenticate)).isInstanceOf(StatusRuntimeException.class);
    }

    private AuthenticateReply authenticate(AuthServiceGrpc.AuthServiceBlockingStub auth) {
        return auth.authenticate(AuthenticateRequest.newBuilder().setClientId("c-mtls").setUsername("nobody")
                .setPassword(ByteString.copyFromUtf8("x")).setRemoteAddress("127.0.0.1:5000").setProtocolVersion(5)
                .build());
    }

    private ManagedChannel tls(TestPki.Issued client) {
        return NettyChannelBuilder.forAddress("localhost", internal.port())
                .sslContext(ssl(GrpcSslContexts.forClient().trustManager(MutualTls.SERVER.ca().toFile())
                        .keyManager(client.cert().toFile(), client.key().toFile())))
                .build();
    }

    private static io.netty.handler.ssl.SslContext ssl(SslContextBuilder builder) {
        try {
            return builder.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T call(ManagedChannel channel, Function<AuthServiceGrpc.AuthServiceBlockingStub, T> call) {
        try {
            return call.apply(AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow();
        }
    }
}
