package dev.mqttsuite.broker.auth;

import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.auth.v1.WatchRequest;
import dev.mqttsuite.broker.config.BrokerConfig;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Live ACL changes: follows the auth-service's change stream, keeps the decision cache tied to it, and hands every
 * change to the {@link AuthChangeListener} (the server layer re-evaluates the affected connections). A lost stream
 * is reopened with back-off, and the RESYNC that starts every stream re-evaluates every session.
 */
@ApplicationScoped
public class AuthChangeWatcher {

    private static final Logger LOG = Logger.getLogger(AuthChangeWatcher.class);

    @Inject
    BrokerConfig config;

    @Inject
    Instance<Authenticator> authenticators;

    @Inject
    AuthChangeListener listener;

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
                listener.onChange(change);
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
}
