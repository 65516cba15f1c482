package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.will.Will;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What happens when a network connection ends, whoever ended it: the session is detached, the Will is published
 * (at once, or after its delay, unless the client sent DISCONNECT 0x00), deliveries that came through shared
 * subscriptions go to other members, and the session expires after its Session Expiry Interval.
 */
public final class ConnectionCloser {

    private static final long NEVER_EXPIRES = 0xFFFFFFFFL;

    private final BrokerCore broker;

    public ConnectionCloser(BrokerCore broker) {
        this.broker = broker;
    }

    /** Called once per connection from the channel's inactive event, on its event loop. */
    public void closed(MqttConnection connection) {
        if (!connection.markCloseHandled()) {
            return;
        }
        connection.state(ConnectionState.CLOSED);
        connection.cancelTimers();
        Session session = connection.session();
        if (session == null) {
            return; // never got past CONNECT
        }
        broker.metrics().disconnected();
        boolean stillAttached = broker.sessions().detach(session, connection);
        if (stillAttached) {
            session.offlinePermissions(connection.effectivePermissions());
        }
        publishWill(connection, session, stillAttached);
        if (!stillAttached) {
            return; // taken over: the session lives on with the new connection
        }
        for (Delivery orphan : session.takeSharedDeliveries()) {
            broker.router().redeliver(orphan, session);
        }
        long expiry = connection.sessionExpiryInterval();
        if (expiry == 0 || session.isEnded()) {
            broker.sessions().endIfIdle(session); // Session Expiry Interval 0: ends with the connection
            broker.wills().onSessionEnd(session.clientId());
        } else if (expiry != NEVER_EXPIRES) {
            ScheduledFuture<?> timer = connection.channelContext().executor().schedule(() -> {
                if (broker.sessions().endIfIdle(session)) {
                    broker.wills().onSessionEnd(session.clientId());
                }
            }, expiry, TimeUnit.SECONDS);
            session.pendingTimer(() -> timer.cancel(false));
        }
    }

    private void publishWill(MqttConnection connection, Session session, boolean stillAttached) {
        Will will = connection.will();
        if (will == null || connection.normalDisconnect()) {
            return; // DISCONNECT 0x00 discards the will [MQTT-3.1.2-10]
        }
        Will.Pending pending = new Will.Pending(will, connection.effectivePermissions());
        long delay = Math.min(will.delaySeconds(), connection.sessionExpiryInterval());
        if (delay == 0 || session.isEnded()) {
            broker.wills().publish(pending);
        } else if (stillAttached) {
            broker.wills().schedule(connection.clientId(), pending, delay, connection.channelContext().executor());
        }
        // taken over with a will delay: the new connection resumed the session, so the will is not sent
    }
}
