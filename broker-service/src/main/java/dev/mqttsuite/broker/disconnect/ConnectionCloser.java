package dev.mqttsuite.broker.disconnect;

import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.broker.will.WillService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What happens when a network connection ends, whoever ended it: the session is detached, the Will is published
 * (at once, or after its delay, unless the client sent DISCONNECT 0x00), deliveries that came through shared
 * subscriptions go to other members, and the session expires after its Session Expiry Interval
 * ({@link SessionExpiry}: 0 ends it with the connection [MQTT-3.1.2-23]).
 */
public final class ConnectionCloser {

    private final SessionDirectory sessions;
    private final Router router;
    private final WillService wills;
    private final BrokerMetrics metrics;

    public ConnectionCloser(SessionDirectory sessions, Router router, WillService wills, BrokerMetrics metrics) {
        this.sessions = sessions;
        this.router = router;
        this.wills = wills;
        this.metrics = metrics;
    }

    /** Called once per connection when its socket closed, on its event loop. */
    public void closed(MqttConnection connection) {
        connection.state(ConnectionState.CLOSED);
        connection.cancelTimers();
        connection.quota().release(); // its place in the user's connection count (broker.quota.*)
        Session session = connection.session();
        if (session == null) {
            return; // never got past CONNECT
        }
        metrics.disconnected();
        boolean stillAttached = sessions.detach(session, connection);
        if (stillAttached) {
            session.offlinePermissions(connection.effectivePermissions());
        }
        long expiry = session.expiryIntervalSeconds();
        publishWill(connection, session, stillAttached, expiry);
        if (!stillAttached) {
            return; // taken over: the session lives on with the new connection
        }
        for (Delivery orphan : session.takeSharedDeliveries()) {
            router.redeliver(orphan, session);
        }
        if (SessionExpiry.endsWithConnection(expiry) || session.isEnded()) {
            sessions.endIfIdle(session);
            wills.onSessionEnd(session.clientId());
        } else if (expiry != SessionExpiry.NEVER) {
            ScheduledFuture<?> timer = connection.transport().schedule(() -> {
                if (sessions.endIfIdle(session)) {
                    wills.onSessionEnd(session.clientId());
                }
            }, expiry, TimeUnit.SECONDS);
            session.pendingTimer(() -> timer.cancel(false));
        }
    }

    private void publishWill(MqttConnection connection, Session session, boolean stillAttached, long expiry) {
        Will will = connection.will();
        if (will == null || connection.normalDisconnect()) {
            if (stillAttached) {
                session.will(null);
            }
            return; // DISCONNECT 0x00 discards the will [MQTT-3.1.2-10]
        }
        Will.Pending pending = new Will.Pending(will, connection.effectivePermissions());
        long delay = Math.min(will.delaySeconds(), expiry); // [MQTT-3.1.3-9] no later than the session's end
        if (delay == 0 || session.isEnded()) {
            if (stillAttached) {
                session.will(null);
            }
            wills.publish(pending);
        } else if (stillAttached) {
            // the journal keeps the will until its delay ends, so a restart meanwhile still publishes it
            wills.schedule(connection.clientId(), pending, task -> connection.transport().schedule(() -> {
                if (!session.isConnected()) {
                    session.will(null);
                }
                task.run();
            }, delay, TimeUnit.SECONDS));
        }
        // taken over with a will delay: the new connection resumed the session, so the will is not sent
    }
}
