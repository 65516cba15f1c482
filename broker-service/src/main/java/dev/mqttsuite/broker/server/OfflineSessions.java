package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.session.OfflineSessionEvents;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.will.Will;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Sessions that arrive on this broker without a connection: restored from the session log at start, or taken over
 * from the replica of a broker that died (docs/adr/0017). Their expiry timer runs on from when their connection went
 * away, and a will whose connection died with its broker is published after what is left of its delay.
 */
final class OfflineSessions implements OfflineSessionEvents {

    private final BrokerAssembly core;
    private final Vertx vertx;

    OfflineSessions(BrokerAssembly core, Vertx vertx) {
        this.core = core;
        this.vertx = vertx;
    }

    /** Whether the session expired meanwhile; its will, if any, is published now (the session ended). */
    boolean expired(SessionState state, long now) {
        long expiry = state.expiryIntervalSeconds();
        if (expiry > 0 && SessionExpiry.remainingMillis(expiry, state.detachedAtMillis(), now) > 0) {
            return false;
        }
        if (state.will() != null) {
            core.wills().publish(new Will.Pending(Will.of(state.will()), Permissions.ALL)); // session ended
        }
        return true;
    }

    /** Starts the session's expiry timer and schedules its will; returns whether it has one. */
    boolean arm(Session session, SessionState state, long now) {
        long leftMillis = SessionExpiry.remainingMillis(state.expiryIntervalSeconds(), state.detachedAtMillis(), now);
        if (leftMillis != Long.MAX_VALUE) {
            long timer = vertx.setTimer(Math.max(1, leftMillis), id -> {
                if (core.sessions().endIfIdle(session)) {
                    core.wills().onSessionEnd(session.clientId());
                }
            });
            session.pendingTimer(() -> vertx.cancelTimer(timer));
        }
        if (state.will() == null) {
            return false;
        }
        scheduleWill(session, state, leftMillis, now);
        return true;
    }

    /**
     * A will kept for a session whose connection died with its broker (or whose delay was running): published after
     * what is left of its delay, bounded by the session's end [MQTT-3.1.3-9], unless the client resumes first.
     */
    private void scheduleWill(Session session, SessionState state, long sessionLeftMillis, long now) {
        Will will = Will.of(state.will());
        long delayMillis = Math.min(will.delaySeconds() * 1000, sessionLeftMillis);
        long leftMillis = state.detachedAtMillis() + delayMillis - now;
        Will.Pending pending = new Will.Pending(will, Permissions.ALL); // authorized when it was kept
        if (leftMillis <= 0) {
            session.will(null);
            core.wills().publish(pending);
            return;
        }
        core.wills().schedule(session.clientId(), pending, task -> vertx.nettyEventLoopGroup().schedule(() -> {
            if (!session.isConnected()) {
                session.will(null);
            }
            task.run();
        }, leftMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public void adopted(Session session, SessionState state) {
        long now = System.currentTimeMillis();
        if (expired(state, now)) {
            core.sessions().endIfIdle(session);
        } else {
            arm(session, state, now);
        }
    }

    @Override
    public void handedOver(String clientId, boolean resumed) {
        core.wills().onReconnect(clientId, resumed);
    }
}
