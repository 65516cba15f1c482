package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.log.SessionLog;
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
        OfflineSessions offline = new OfflineSessions(core, vertx);
        for (SessionState state : recovery.sessions()) {
            if (offline.expired(state, now)) {
                expired++;
                wills += state.will() != null ? 1 : 0;
                continue;
            }
            Session session = core.sessions().restore(state);
            state.subscriptions().forEach((topic, options) -> core.routes().subscribe(session, topic, options));
            restored++;
            messages += state.queue().size() + state.inflight().size();
            if (offline.arm(session, state, now)) {
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

    /** After the listeners closed every connection: the queued records are written and a snapshot taken. */
    void save() {
        log.close();
        LOG.infof("Session log closed with a snapshot in %s", dir);
    }
}
