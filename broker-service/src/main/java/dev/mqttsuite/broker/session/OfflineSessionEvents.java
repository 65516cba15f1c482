package dev.mqttsuite.broker.session;

/**
 * What the broker does with sessions that arrive on it or leave it without a connection here, for a session directory
 * that moves sessions between brokers (a cluster, docs/adr/0017-cluster-session-replication.md). Implemented by the
 * server layer, which owns the timers and the wills.
 */
public interface OfflineSessionEvents {

    /**
     * A session adopted here with no connection (its broker died; this broker took it from the replica): its expiry
     * timer and its will are armed as for a session restored from disk, or it ends now if it expired meanwhile.
     */
    void adopted(Session session, SessionState state);

    /** A session left for another broker: a delayed will here is dropped if it resumed there, else published now. */
    void handedOver(String clientId, boolean resumed);

    /** Nothing to do (a single broker, tests). */
    OfflineSessionEvents NONE = new OfflineSessionEvents() {
        @Override
        public void adopted(Session session, SessionState state) {
        }

        @Override
        public void handedOver(String clientId, boolean resumed) {
        }
    };
}
