package dev.mqttsuite.broker.auth;

import dev.mqttsuite.broker.config.BrokerConfig;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Chooses the authentication backend at startup and refuses to start open: without a backend the broker only starts
 * when {@code broker.auth.allow-anonymous=true} is set explicitly, and then says so loudly.
 */
public final class AuthenticatorSelection {

    private static final Logger LOG = Logger.getLogger(AuthenticatorSelection.class);

    private AuthenticatorSelection() {
    }

    /**
     * @param configured the backend adapter found on the classpath/configuration, if any
     * @throws IllegalStateException naming the settings when there is no backend and anonymous access is off
     */
    public static Authenticator select(BrokerConfig config, Optional<Authenticator> configured) {
        if (config.auth().allowAnonymous()) {
            LOG.warn("*** broker.auth.allow-anonymous=true: EVERY client may connect without credentials and may"
                    + " publish and subscribe to EVERY topic. Use this only for protocol testing. ***");
            return new AnonymousAuthenticator();
        }
        return configured.orElseThrow(() -> new IllegalStateException("No authentication backend is configured:"
                + " connect the broker to the auth-service, or set broker.auth.allow-anonymous=true"
                + " (env BROKER_AUTH_ALLOW_ANONYMOUS=true) to let every client in for protocol testing. The broker"
                + " refuses to start open by default."));
    }
}
