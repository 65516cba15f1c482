package dev.mqttsuite.broker.admin;

import dev.mqttsuite.auth.v1.AuditAck;
import dev.mqttsuite.auth.v1.AuditRecord;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.broker.config.BrokerConfig;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends admin actions to the auth-service's audit log ({@code RecordAudit}) over the broker's existing gRPC client
 * {@code auth}: asynchronous, with the {@code broker.auth.timeout} deadline and at most {@value #MAX_IN_FLIGHT} calls in
 * flight. A record the auth-service did not take (unreachable, refused, too many in flight) is written to the broker's
 * log, category {@code audit}, with a warning: an action is never left unrecorded.
 */
@ApplicationScoped
@LookupIfProperty(name = "broker.auth.backend", stringValue = "service")
public class GrpcAuditLog implements AuditLog {

    private static final Logger LOG = Logger.getLogger(GrpcAuditLog.class);
    static final int MAX_IN_FLIGHT = 64;

    @GrpcClient("auth")
    Channel channel;

    @Inject
    BrokerConfig config;

    @Inject
    BrokerView view;

    private AuthServiceGrpc.AuthServiceStub stub;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    @PostConstruct
    void init() {
        stub = AuthServiceGrpc.newStub(channel);
    }

    @Override
    public void record(String actor, String action, String entity, String name, String detail) {
        if (!inFlight.tryAcquire()) {
            LOG.warnf("Audit: %d records in flight to the auth-service; this one goes to the broker log", MAX_IN_FLIGHT);
            LoggingAuditLog.write(actor, action, entity, name, detail);
            return;
        }
        AuditRecord record = AuditRecord.newBuilder().setActor(actor).setAction(action).setEntity(entity)
                .setName(name).setDetail(detail == null ? "" : detail).setNode(view.node()).build();
        stub.withDeadlineAfter(config.auth().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .recordAudit(record, new StreamObserver<>() {
                    @Override
                    public void onNext(AuditAck ack) {
                    }

                    @Override
                    public void onError(Throwable failure) {
                        inFlight.release();
                        LOG.warnf("Audit: the auth-service did not record %s %s %s: %s; written to the broker log",
                                action, entity, name, failure.toString());
                        LoggingAuditLog.write(actor, action, entity, name, detail);
                    }

                    @Override
                    public void onCompleted() {
                        inFlight.release();
                    }
                });
    }
}
