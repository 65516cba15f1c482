package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.log.SessionLog;
import dev.mqttsuite.broker.will.Will;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code broker.session.persistence=file}: sessions that outlive their connection are kept in the write-ahead session
 * log ({@link SessionLog}) as they change, so a crash loses no acknowledged message. At start they are recovered
 * before the listeners open, with the expiry time they had left; wills whose connection died with the broker are
 * published after what is left of their delay. A graceful stop ends with a snapshot, so the next start is fast.
 */
final class SessionPersistence {

    private static final Logger LOG = Logger.getLogger(SessionPersistence.class);
    /** The shutdown snapshot of versions before the session log; read once if the log is empty. */
    private static final String LEGACY_SNAPSHOT = "sessions.snapshot";

    private final Path dir;
    private final SessionLog log;
    private BrokerAssembly core;

    SessionPersistence(BrokerConfig.Session config, MeterRegistry registry) {
        this.dir = Path.of(config.dataDir()).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("broker.session.data-dir=" + config.dataDir() + " cannot be created: " + e,
                    e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("broker.session.data-dir=" + config.dataDir() + " is not writable");
        }
        this.log = new SessionLog(new SessionLog.Options(dir.resolve("session-log"),
                config.fsync() == BrokerConfig.Fsync.BATCH, config.log().segmentBytes(), config.log().maxDiskBytes()),
                registry);
    }

    /** The journal the sessions write to. */
    SessionLog journal() {
        return log;
    }

    /** Recovers the sessions into {@code core}, then starts the log. */
    void restore(BrokerAssembly core, Vertx vertx) {
        this.core = core;
        Path legacy = dir.resolve(LEGACY_SNAPSHOT);
        boolean hadLegacy = Files.exists(legacy);
        SessionLog.Recovery recovery;
        try {
            recovery = log.recover(legacy);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot recover sessions (broker.session.persistence=file): "
                    + e.getMessage(), e);
        }
        long now = System.currentTimeMillis();
        int restored = 0;
        int expired = 0;
        long messages = 0;
        int wills = 0;
        for (SessionState state : recovery.sessions()) {
            long expiry = state.expiryIntervalSeconds();
            long leftMillis = SessionExpiry.remainingMillis(expiry, state.detachedAtMillis(), now);
            if (expiry == 0 || leftMillis <= 0) {
                expired++;
                if (state.will() != null) {
                    core.wills().publish(new Will.Pending(Will.of(state.will()), Permissions.ALL)); // session ended
                    wills++;
                }
                continue;
            }
            Session session = core.sessions().restore(state);
            state.subscriptions().forEach((topic, options) -> core.routes().subscribe(session, topic, options));
            restored++;
            messages += state.queue().size() + state.inflight().size();
            if (leftMillis != Long.MAX_VALUE) {
                long timer = vertx.setTimer(Math.max(1, leftMillis), id -> {
                    if (core.sessions().endIfIdle(session)) {
                        core.wills().onSessionEnd(session.clientId());
                    }
                });
                session.pendingTimer(() -> vertx.cancelTimer(timer));
            }
            if (state.will() != null) {
                scheduleWill(vertx, session, state, leftMillis, now);
                wills++;
            }
        }
        try {
            var first = log.start(() -> core.sessions().all()).toCompletableFuture();
            if (hadLegacy) {
                first.get(5, TimeUnit.MINUTES); // the log has the legacy sessions before their file goes
                Files.delete(legacy);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the session log in " + dir + ": " + e.getMessage(), e);
        }
        LOG.infof("Recovered %d persistent session(s) with %d message(s) from the session log in %s (%d records"
                + " replayed, %d ms; %d expired while the broker was down; %d will(s) due)", restored, messages,
                dir, recovery.records(), recovery.millis(), expired, wills);
    }

    /**
     * A will kept for a session whose connection died with the broker (or whose delay was running): published after
     * what is left of its delay, bounded by the session's end [MQTT-3.1.3-9], unless the client resumes first.
     */
    private void scheduleWill(Vertx vertx, Session session, SessionState state, long sessionLeftMillis, long now) {
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

    /** After the listeners closed every connection: the queued records are written and a snapshot taken. */
    void save() {
        log.close();
        LOG.infof("Session log closed with a snapshot in %s", dir);
    }
}
