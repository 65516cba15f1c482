package dev.mqttsuite.broker.admin;

import dev.mqttsuite.auth.v1.AuditAck;
import dev.mqttsuite.auth.v1.AuditRecord;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.auth.v1.WatchRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An auth-service that only records audit calls (and keeps a change stream open), on a random port, so that a broker
 * with {@code broker.auth.backend=service} can be watched calling RecordAudit. MQTT logins stay anonymous.
 */
public class FakeAuditService implements QuarkusTestResourceLifecycleManager {

    /** What RecordAudit received, in order. */
    static final BlockingQueue<AuditRecord> RECORDS = new LinkedBlockingQueue<>();

    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new AuthServiceGrpc.AuthServiceImplBase() {
                        @Override
                        public void recordAudit(AuditRecord request, StreamObserver<AuditAck> reply) {
                            RECORDS.add(request);
                            reply.onNext(AuditAck.newBuilder().setId(RECORDS.size()).build());
                            reply.onCompleted();
                        }

                        @Override
                        public void watchChanges(WatchRequest request, StreamObserver<Change> changes) {
                            changes.onNext(Change.newBuilder().setKind(Change.Kind.RESYNC).build());
                        }
                    }).build().start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String port = Integer.toString(server.getPort());
        // in test mode Quarkus points gRPC clients at test-port (the application's own HTTP port) unless it is set
        return Map.of("broker.auth.backend", "service", "quarkus.grpc.clients.auth.host", "127.0.0.1",
                "quarkus.grpc.clients.auth.port", port, "quarkus.grpc.clients.auth.test-port", port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
