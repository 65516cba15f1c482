package dev.mqttsuite.broker.auth;

import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.auth.v1.WatchRequest;
import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.server.BrokerService;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Live ACL changes: follows the auth-service's change stream and re-evaluates the affected connected sessions
 * (within a second of the change): new permissions apply at once (deliveries are re-checked, so subscriptions that are
 * no longer allowed stop receiving), revoked principals are disconnected with 0x98 Administrative action. A lost
 * stream is reopened with back-off, and the RESYNC that starts every stream re-evaluates every session.
 */
@ApplicationScoped
public class AuthChangeWatcher {

    private static final Logger LOG = Logger.getLogger(AuthChangeWatcher.class);

    @Inject
    BrokerConfig config;

    @Inject
    Instance<Authenticator> authenticators;

    @Inject
    BrokerService broker;

    @Inject
    Vertx vertx;

    private volatile boolean stopped;
    private long backoffMillis = 500;

    void onStart(@Observes @Priority(2000) StartupEvent event) {
        if (!"service".equals(config.auth().backend()) || config.auth().allowAnonymous()) {
            return;
        }
        watch();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private AuthServiceAuthenticator adapter() {
        return (AuthServiceAuthenticator) authenticators.get();
    }

    private void watch() {
        if (stopped) {
            return;
        }
        adapter().stub().watchChanges(WatchRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(Change change) {
                backoffMillis = 500;
                if (change.getKind() == Change.Kind.RESYNC) {
                    adapter().cache().live(true); // the stream is open: decisions may be remembered again
                } else {
                    adapter().cache().invalidate();
                }
                apply(change);
            }

            @Override
            public void onError(Throwable t) {
                LOG.debugf("auth change stream lost: %s", t.toString());
                adapter().cache().live(false);
                retry();
            }

            @Override
            public void onCompleted() {
                adapter().cache().live(false);
                retry();
            }
        });
    }

    private void retry() {
        if (stopped) {
            return;
        }
        adapter().reconnectSoon();
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, 30_000);
        vertx.setTimer(delay, id -> watch());
    }

    /** Re-evaluates every connected session the change concerns. */
    void apply(Change change) {
        BrokerCore core = broker.core();
        if (core == null) {
            return;
        }
        List<MqttConnection> affected = new ArrayList<>();
        for (Session session : core.sessions().all()) {
            if (core.sessions().connectionOf(session) instanceof MqttConnection connection
                    && connection.authAttachment() instanceof AuthServiceAuthenticator.AuthContext context
                    && (change.getKind() == Change.Kind.RESYNC
                            || change.getSubjectsList().stream().anyMatch(context.subjects()::contains))) {
                affected.add(connection);
            }
        }
        for (MqttConnection connection : affected) {
            AuthServiceAuthenticator.AuthContext context =
                    (AuthServiceAuthenticator.AuthContext) connection.authAttachment();
            adapter().reauthorize(context.identity()).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warnf("re-evaluating %s failed (%s); keeping its permissions", connection.clientId(),
                            failure.toString());
                    return;
                }
                connection.channelContext().executor().execute(() -> {
                    switch (result) {
                        case AuthResult.Allowed allowed -> connection.permissions(allowed.permissions(),
                                allowed.superuser(), allowed.attachment());
                        case AuthResult.Denied denied -> core.disconnector().disconnect(connection,
                                DisconnectReasonCode.ADMINISTRATIVE_ACTION, "access revoked: " + denied.reason());
                        case AuthResult.Continue ignored -> { }
                    }
                });
            });
        }
    }
}
