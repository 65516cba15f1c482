package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.auth.Permissions;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * The port where a session is found, claimed by a connection, taken over and ended. Today's implementation is
 * {@link LocalSessionDirectory} (one map on this broker, claims complete at once); a cluster makes the claim
 * cluster-wide (one owner per client id, fenced by an epoch), which is why {@link #attach} is asynchronous.
 */
public interface SessionDirectory {

    /** The outcome of CONNECT for the session layer. */
    record Attach(Session session, boolean sessionPresent, SessionListener previousConnection) {
    }

    /**
     * The claim failed because the session belongs to another user and {@code broker.session.foreign-client-id} is
     * {@code refuse}: CONNACK 0x85 Client Identifier not valid.
     */
    final class ForeignSession extends RuntimeException {
        public ForeignSession(String clientId) {
            super("the session of client id " + clientId + " belongs to another user", null, false, false);
        }
    }

    /**
     * Finds or creates the session for a CONNECT and attaches the connection. With Clean Start (3.1.1: Clean Session)
     * any existing session is discarded [MQTT-3.1.2-4]; otherwise it resumes [MQTT-3.1.2-5]. An existing connection
     * with the same client id is returned for the caller to close with 0x8E [MQTT-3.1.4-3].
     *
     * <p>A session belongs to the user that created it: another user with the same client id never resumes it. That
     * user gets a fresh session, or a {@link ForeignSession} failure, as configured.
     *
     * @param principal the authenticated user of the connection
     */
    CompletionStage<Attach> attach(String clientId, boolean cleanStart, SessionListener connection,
            long expiryInterval, String principal);

    /** {@link #attach} for a connection without a user (protocol tests). */
    default CompletionStage<Attach> attach(String clientId, boolean cleanStart, SessionListener connection,
            long expiryInterval) {
        return attach(clientId, cleanStart, connection, expiryInterval, null);
    }

    /** The connection closed; returns true if the session was still attached to it. */
    boolean detach(Session session, SessionListener connection);

    /** Ends a session if it is still the registered one for its client id and not connected (expiry, clean exit). */
    boolean endIfIdle(Session session);

    /** Adds a session restored from persistence (before the listeners start). */
    Session restore(SessionState state);

    Session get(String clientId);

    int size();

    Collection<Session> all();

    SessionListener connectionOf(Session session);

    /** What deliveries to this session are checked against: its connection's permissions, or the last known. */
    default Permissions deliveryPermissions(Session session) {
        SessionListener connection = connectionOf(session);
        return connection != null ? connection.deliveryPermissions() : session.offlinePermissions();
    }
}
