package dev.mqttsuite.auth.grpc;

import dev.mqttsuite.auth.authorization.Authentications;
import dev.mqttsuite.auth.changes.ChangeBus;
import dev.mqttsuite.auth.v1.MutinyAuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuditAck;
import dev.mqttsuite.auth.v1.AuditRecord;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.auth.v1.ReauthorizeRequest;
import dev.mqttsuite.auth.v1.WatchRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;

/**
 * The brokers' face of the auth-service. A login remembered for the same credentials is answered on the event loop;
 * every other one runs on a worker thread (database, KDF, token checks).
 */
@GrpcService
public class AuthGrpcService extends MutinyAuthServiceGrpc.AuthServiceImplBase {

    @Inject
    Authentications authentications;

    @Inject
    ChangeBus changes;

    @Inject
    BrokerAudit audit;

    @Override
    public Uni<AuthenticateReply> authenticate(AuthenticateRequest request) {
        AuthenticateReply remembered = authentications.remembered(request);
        if (remembered != null) {
            return Uni.createFrom().item(remembered);
        }
        return Uni.createFrom().item(() -> authentications.authenticate(request))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public Uni<AuthenticateReply> reauthorize(ReauthorizeRequest request) {
        return Uni.createFrom().item(() -> authentications.reauthorize(request.getIdentity()));
    }

    @Override
    public Multi<Change> watchChanges(WatchRequest request) {
        return changes.stream();
    }

    @Override
    @Blocking
    public Uni<AuditAck> recordAudit(AuditRecord request) {
        return Uni.createFrom().item(() -> audit.record(request));
    }
}
