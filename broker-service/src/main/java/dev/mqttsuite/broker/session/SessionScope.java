package dev.mqttsuite.broker.session;

/**
 * How far this broker's sessions reach: {@link #LOCAL} on a single broker; a cluster wraps the local directory so that
 * a client id has one owner cluster-wide (cluster/session). The server layer picks it; the assembly applies it.
 */
@FunctionalInterface
public interface SessionScope {

    /** The directory the broker uses, built around this broker's own sessions. */
    SessionDirectory wrap(LocalSessionDirectory local, Evictor evictor);

    /** One broker: the local directory as it is. */
    SessionScope LOCAL = (local, evictor) -> local;

    /** Closes a connection whose session moved to another broker (DISCONNECT 0x8E in MQTT 5; 3.1.1 just closes). */
    @FunctionalInterface
    interface Evictor {
        /**
         * @param connection the connection to close; any thread
         * @param sessionContinues the session lives on elsewhere: a will with a delay is not sent (it resumed)
         */
        void evict(SessionListener connection, boolean sessionContinues);
    }
}
