package dev.mqttsuite.broker.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import dev.mqttsuite.internaltls.IdentityField;
import dev.mqttsuite.internaltls.InternalTls;
import dev.mqttsuite.internaltls.MutualTlsFixture;
import dev.mqttsuite.internaltls.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #14 / #16: broker-to-broker streams under mutual TLS with the suite CA; only a peer whose certificate names a
 * broker is served, a suite certificate of another service gets PERMISSION_DENIED, and a certificate of another CA
 * never completes the handshake.
 */
@Timeout(60)
class ClusterTransportMutualTlsTest {

    private static final MutualTlsFixture PKI = MutualTlsFixture.create("broker-b");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ForwardReceiver receiver;
    private HttpServer server;
    private BrokerConfig config;

    @BeforeEach
    void start() throws Exception {
        config = BrokerConfigValidatorTest.config(Map.of());
        receiver = new ForwardReceiver(vertx, registry);
        receiver.attach(new Router(new LocalRouteTable(32), new BrokerMetrics(registry), s -> Permissions.ALL),
                SessionJournal.IN_MEMORY);
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.callHandler(ForwardMethod.SERVER, receiver::open);
        ChannelSecurity security = security(PKI.broker);
        server = vertx.createHttpServer(security.serverOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(security.guard(grpc));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ChannelSecurity security(TestPki.Issued cert) {
        return MutualTlsChannelSecurity.of(InternalTls.load(cert.config(), "broker.internal-tls", Clock.systemUTC()),
                IdentityField.CN, Set.of("broker"));
    }

    @Test
    void brokerPeer_streamsOverMutualTls_andMessagesAreAcknowledged() {
        ClusterForwarder forwarder = new ClusterForwarder(new RemoteRoutes(32), topic -> false, vertx,
                security(PKI.broker), "member-a", "node-a", config.cluster().forward(), registry);
        try {
            forwarder.peerJoined(new Peer("member-b", "node-b", "127.0.0.1", server.actualPort()));
            await("stream open under mutual TLS").atMost(WAIT).until(() -> forwarder.connectedPeers() == 1);
            assertThat(security(PKI.broker).describe()).contains("mutual TLS");
        } finally {
            forwarder.close();
        }
    }

    @Test
    void peerWithAnotherServicesCertificate_getsPermissionDenied() throws Exception {
        assertThat(openForward(security(PKI.console)).toCompletionStage().toCompletableFuture()
                .get(20, TimeUnit.SECONDS)).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        assertThat(receiver.receivedCount()).isZero();
    }

    @Test
    void peerWithACertificateOfAnotherCa_isRefusedAtTheHandshake() {
        CompletableFuture<GrpcStatus> outcome = openForward(security(PKI.foreignBroker)).toCompletionStage()
                .toCompletableFuture();
        await().atMost(WAIT).until(outcome::isDone);
        assertThat(outcome).isCompletedExceptionally();
    }

    @Test
    void plainTextPeer_isRefused() {
        CompletableFuture<GrpcStatus> outcome = openForward(ChannelSecurity.PLAINTEXT).toCompletionStage()
                .toCompletableFuture();
        await().atMost(WAIT).until(outcome::isDone);
        assertThat(outcome).isCompletedExceptionally();
    }

    /** Opens a Forward stream with one empty frame and returns the status the server answers it with. */
    private Future<GrpcStatus> openForward(ChannelSecurity client) {
        GrpcClient grpc = GrpcClient.client(vertx, client.clientOptions());
        return grpc.request(SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"),
                BrokerClusterGrpc.getForwardMethod()).compose(request -> {
                    request.end(ForwardBatch.getDefaultInstance());
                    return request.response();
                }).map(response -> response.status());
    }
}
