package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.SessionSnapshot;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code broker.session.persistence=file}: persistent sessions are written at a graceful shutdown, after the listeners
 * closed every connection (so nothing changes while they are written and every acknowledged message is in a queue),
 * and restored at the next start before the listeners open, with the expiry time they had left.
 */
final class SessionPersistence {

    private static final Logger LOG = Logger.getLogger(SessionPersistence.class);
    private final Path file;
    private final BrokerAssembly core;

    SessionPersistence(String dataDir, BrokerAssembly core) {
        this.core = core;
        Path dir = Path.of(dataDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("broker.session.data-dir=" + dataDir + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("broker.session.data-dir=" + dataDir + " is not writable");
        }
        this.file = dir.resolve("sessions.snapshot");
    }

    /** Restores the sessions of the last graceful shutdown; the snapshot is deleted once they are in memory. */
    void restore(Vertx vertx) {
        if (!Files.exists(file)) {
            return;
        }
        List<SessionState> states;
        try {
            states = SessionSnapshot.read(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot restore sessions (broker.session.persistence=file): "
                    + e.getMessage() + "; move the file away to start without them", e);
        }
        long now = System.currentTimeMillis();
        int restored = 0;
        int expired = 0;
        long messages = 0;
        for (SessionState state : states) {
            long expiry = state.expiryIntervalSeconds();
            long leftMillis = SessionExpiry.remainingMillis(expiry, state.detachedAtMillis(), now);
            if (expiry == 0 || leftMillis <= 0) {
                expired++;
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
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot delete " + file + " after restoring it: " + e.getMessage(), e);
        }
        LOG.infof("Restored %d persistent session(s) with %d message(s) from %s (%d expired while the broker was"
                + " down)", restored, messages, file, expired);
    }

    /** Writes every session that outlives its connection. */
    void save() {
        long now = System.currentTimeMillis();
        List<SessionState> states = new ArrayList<>();
        for (Session session : core.sessions().all()) {
            SessionState state = session.state(now);
            if (state != null && state.expiryIntervalSeconds() > 0) {
                states.add(state);
            }
        }
        try {
            SessionSnapshot.write(file, states);
            LOG.infof("Saved %d persistent session(s) to %s", states.size(), file);
        } catch (IOException e) {
            LOG.errorf(e, "Cannot save the persistent sessions to %s: they are lost", file);
        }
    }
}
