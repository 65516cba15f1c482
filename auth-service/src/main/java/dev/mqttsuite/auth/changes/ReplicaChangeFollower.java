package dev.mqttsuite.auth.changes;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.auth.model.AuditEntry;
import dev.mqttsuite.authcache.BoundedLru;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Several auth-service replicas on one database: an admin change is made through one of them, but brokers follow the
 * change stream of whichever replica they are connected to. Every replica therefore follows the audit log (written in
 * the same transaction as each change) and announces the changes other replicas made to its own brokers. Identity
 * values are not committed in order, so each poll looks back {@code LOOKBACK} ids and skips the ones already seen.
 */
@ApplicationScoped
public class ReplicaChangeFollower {

    private static final Logger LOG = Logger.getLogger(ReplicaChangeFollower.class);
    private static final long LOOKBACK = 100;

    @Inject
    AuthConfig config;

    @Inject
    ChangeBus changes;

    /** This bean's one poller thread, started with the application and ended with it. */
    private ScheduledExecutorService timer;
    private long highest = -1;
    private final Map<Long, Boolean> seen = BoundedLru.synchronizedMap((int) (10 * LOOKBACK));

    void onStart(@Observes StartupEvent event) {
        Duration interval = config.changes().pollInterval();
        if (interval.isNegative()) {
            throw new IllegalStateException("auth.changes.poll-interval must be >= 0 (0 turns it off)");
        }
        if (!interval.isZero()) {
            start(interval);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start(Duration interval) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("auth-replica-changes").daemon(true).factory());
        timer.scheduleWithFixedDelay(this::pollSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops polling; a poll in progress may finish (bounded), so none runs against a database being closed. */
    synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.debugf("following the audit log failed (retried): %s", e.toString());
        }
    }

    /** One round: announces the changes other replicas committed since the last one. */
    void poll() {
        boolean first = highest < 0;
        if (first) {
            Long max = QuarkusTransaction.requiringNew().call(() -> AuditEntry.getEntityManager()
                    .createQuery("select max(a.id) from AuditEntry a", Long.class).getSingleResult());
            highest = max == null ? 0 : max;
        }
        long from = Math.max(0, highest - LOOKBACK);
        List<AuditEntry> entries = QuarkusTransaction.requiringNew().call(() ->
                AuditEntry.<AuditEntry>list("id > ?1 order by id", from));
        Set<String> subjects = new LinkedHashSet<>();
        for (AuditEntry e : entries) {
            if (seen.put(e.id, Boolean.TRUE) != null) {
                continue;
            }
            highest = Math.max(highest, e.id);
            if (first || AuditEntry.ORIGIN.equals(e.origin)) {
                continue; // history the brokers resynced from, or announced by this process when it made the change
            }
            if (e.actor != null && e.actor.startsWith(dev.mqttsuite.auth.grpc.BrokerAudit.ACTOR_PREFIX)) {
                continue; // a broker's admin action (kick, publish...): no user, role or rule changed
            }
            subjects.add(e.entity.equals("anonymous") ? "anonymous" : e.entity + ":" + e.name);
        }
        if (!subjects.isEmpty()) {
            LOG.debugf("changes made through another replica: %s", subjects);
            changes.changed(subjects);
        }
    }
}
