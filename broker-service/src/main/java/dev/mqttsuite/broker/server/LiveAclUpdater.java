package dev.mqttsuite.broker.server;

import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.broker.auth.AuthChangeListener;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.AuthServiceAuthenticator;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.reason.DisconnectReasonCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies live ACL changes to the connected sessions they concern (within a second of the change): new permissions
 * apply at once (deliveries are re-checked, so subscriptions that are no longer allowed stop receiving), revoked
 * principals are disconnected with 0x98 Administrative action.
 */
@ApplicationScoped
public class LiveAclUpdater implements AuthChangeListener {

    private static final Logger LOG = Logger.getLogger(LiveAclUpdater.class);

    @Inject
    BrokerService broker;

    @Inject
    Instance<Authenticator> authenticators;

    @Override
    public void onChange(Change change) {
        BrokerAssembly core = broker.core();
        if (core == null || !(authenticators.get() instanceof AuthServiceAuthenticator adapter)) {
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
            adapter.reauthorize(context.identity()).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warnf("re-evaluating %s failed (%s); keeping its permissions", connection.clientId(),
                            failure.toString());
                    return;
                }
                connection.transport().execute(() -> {
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
