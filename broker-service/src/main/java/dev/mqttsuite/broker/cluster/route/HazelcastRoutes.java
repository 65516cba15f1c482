package dev.mqttsuite.broker.cluster.route;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.query.Predicates;
import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The cluster-wide route table in Hazelcast: one {@code IMap} entry per (member, filter), key
 * {@code memberId + '\0' + filter} (U+0000 never occurs in an MQTT string), value the member id. This broker writes
 * its own entries from {@link ClusterRouteTable}'s changes and follows everyone else's through an entry listener into
 * {@link RemoteRoutes}; a member that leaves has its entries removed by the survivors. A shared subscription's route is
 * {@code $share/g/f} (one per broker and group); this broker's own shared routes go into {@link RemoteRoutes} too, so
 * that a publish here can pick this broker for a group as well as another.
 *
 * <p>Consistency: routes are eventually consistent. A new subscription reaches the other brokers' tables within a
 * map write plus an event (milliseconds on a LAN); a message published elsewhere in that interval does not reach it.
 * A stale route only costs a forward that finds no subscriber. Two single-threaded lanes keep the order right: one
 * writes this broker's entries (a filter's last state wins, retried on failure), one applies what the listener and the
 * initial load saw, in the order Hazelcast delivered it, so a load and concurrent events cannot leave a dead route.
 */
public final class HazelcastRoutes implements ClusterRouteTable.Announcer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HazelcastRoutes.class);

    /** The route map's name. */
    public static final String MAP = "mqtt.routes";
    private static final char SEPARATOR = '\0';
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterMember member;
    private final IMap<String, String> routes;
    private final ClusterRouteTable table;
    private final RemoteRoutes remote;
    private final String memberId;
    private final ScheduledExecutorService writes = Executors.newSingleThreadScheduledExecutor(
            daemon("mqtt-cluster-route-writer"));
    private final ScheduledExecutorService reads = Executors.newSingleThreadScheduledExecutor(
            daemon("mqtt-cluster-route-reader"));
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile boolean closed;
    private static final Function<String, CompletionStage<Void>> NO_GATE =
            id -> CompletableFuture.completedFuture(null);
    /** After a departed member's sessions were adopted here, how long its routes stay for the other survivors. */
    private static final Duration DEPARTED_MARGIN = Duration.ofSeconds(1);
    /** The longest a departed member's routes are held (an adoption that never ends). */
    private static final Duration DEPARTED_HOLD = Duration.ofSeconds(60);
    private volatile Function<String, CompletionStage<Void>> gate = NO_GATE;
    private UUID listenerId;

    public HazelcastRoutes(ClusterMember member, ClusterRouteTable table, RemoteRoutes remote) {
        this.member = member;
        this.routes = member.hazelcast().getMap(MAP);
        this.table = table;
        this.remote = remote;
        this.memberId = member.memberId();
    }

    /**
     * Starts following the other members' routes and announcing this broker's.
     *
     * @return completes when the routes known at start are loaded
     */
    public CompletableFuture<Void> start() {
        listenerId = routes.addEntryListener(new Listener(), false);
        reads.execute(this::load);
        member.onMembership(peer -> { }, peer -> memberLeft(peer.memberId()));
        member.onMerged(this::afterMerge);
        table.announceTo(this);
        return loaded;
    }

    // ---- this broker's routes -------------------------------------------------------------------------------------

    @Override
    public void routeChanged(String filter) {
        dirty.add(filter);
        scheduleWrite(0);
        if (isShared(filter)) {
            reads.execute(() -> ownSharedRoute(filter));
        }
    }

    /**
     * Keeps this broker's shared route in {@link RemoteRoutes} in line with its table (last state wins; on the reads
     * lane, so a reload cannot overtake it): the publishing side picks among every broker of a group, this one too.
     */
    private void ownSharedRoute(String filter) {
        if (table.hasRoute(filter)) {
            remote.add(memberId, filter);
        } else {
            remote.remove(memberId, filter);
        }
    }

    private static boolean isShared(String filter) {
        return filter.startsWith(SubscriptionTopic.SHARE_PREFIX);
    }

    private void scheduleWrite(long delayMillis) {
        if (!closed && writeScheduled.compareAndSet(false, true)) {
            writes.schedule(this::write, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Brings this broker's entries in line with its table for the filters that changed; last state wins. */
    private void write() {
        writeScheduled.set(false);
        List<String> changed = new ArrayList<>(dirty);
        dirty.removeAll(changed);
        Map<String, String> present = new HashMap<>();
        List<String> absent = new ArrayList<>();
        for (String filter : changed) {
            if (table.hasRoute(filter)) {
                present.put(key(memberId, filter), memberId);
            } else {
                absent.add(key(memberId, filter));
            }
        }
        try {
            if (!present.isEmpty()) {
                routes.putAll(present);
            }
            List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
            for (String key : absent) {
                deletes.add(routes.removeAsync(key).toCompletableFuture().thenApply(v -> v != null));
            }
            CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (closed) {
                return;
            }
            LOG.warnf("Cluster route update failed, retrying in %s: %s", RETRY, e.toString());
            dirty.addAll(changed);
            scheduleWrite(RETRY.toMillis());
        }
    }

    // ---- the other brokers' routes --------------------------------------------------------------------------------

    /** Loads the routes that exist now; entries of members no longer in the cluster are removed. */
    private void load() {
        try {
            int known = 0;
            for (String key : routes.keySet()) {
                int split = key.indexOf(SEPARATOR);
                String owner = key.substring(0, split);
                if (owner.equals(memberId)) {
                    continue;
                }
                if (!member.isMember(owner)) {
                    routes.delete(key); // its owner died and nobody removed it (e.g. while the survivors stopped)
                    continue;
                }
                if (remote.add(owner, key.substring(split + 1))) {
                    known++;
                }
            }
            for (String filter : table.filters()) {
                if (isShared(filter)) {
                    ownSharedRoute(filter); // again after a reload (merge) cleared them
                }
            }
            LOG.debugf("Cluster routes loaded: %d of other members", known);
            loaded.complete(null);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warnf("Loading cluster routes failed, retrying: %s", e.toString());
                reads.schedule(this::load, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Holds the routes of a departed member until the survivors adopted its persistent sessions (docs/adr/0017): the
     * stage a gate returns completes when this broker's adoption pass for that member is done; the routes go
     * {@link #DEPARTED_MARGIN} later, so the other survivors' passes end too. Meanwhile a QoS 1/2 message matching them
     * is refused to its publisher rather than acknowledged with no session reached (the fail-over gap).
     */
    public void departureGate(Function<String, CompletionStage<Void>> gate) {
        this.gate = gate;
    }

    private void memberLeft(String leftId) {
        gate.apply(leftId).toCompletableFuture().orTimeout(DEPARTED_HOLD.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> {
                    try {
                        reads.schedule(() -> forget(leftId), gate == NO_GATE ? 0 : DEPARTED_MARGIN.toMillis(),
                                TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closing) {
                        LOG.debug("Routes closed: the departed member's routes stay");
                    }
                });
    }

    /**
     * Removes a departed member's routes, here and from the map, unless it is in the cluster again by then: after a
     * split healed, the broker that was cut off sees the others "leave" and come back, and removing their routes then
     * would delete live routes cluster-wide (messages for their subscribers acknowledged and dropped).
     */
    private void forget(String leftId) {
        reads.execute(() -> {
            if (returned(leftId)) {
                return;
            }
            int removed = remote.removeMember(leftId);
            LOG.debugf("Routes of member %s removed here: %d", leftId, removed);
        });
        writes.execute(() -> {
            if (returned(leftId)) {
                return;
            }
            try {
                routes.removeAll(Predicates.equal("this", leftId)); // every survivor does it; idempotent
            } catch (RuntimeException e) {
                LOG.debugf("Removing routes of member %s: %s", leftId, e.toString());
            }
        });
    }

    private boolean returned(String memberId) {
        if (member.peer(memberId).isEmpty()) {
            return false;
        }
        LOG.infof("Member %s is in the cluster again (a split healed): its routes stay", memberId);
        return true;
    }

    /** After a split brain healed, entries may be missing or stale on either side: announce again and reload. */
    private void afterMerge() {
        LOG.info("Cluster merged after a split: announcing this broker's routes again and reloading the others'");
        writes.execute(() -> {
            try {
                for (String key : routes.keySet(Predicates.equal("this", memberId))) {
                    dirty.add(key.substring(key.indexOf(SEPARATOR) + 1));
                }
            } catch (RuntimeException e) {
                LOG.debugf("Listing own routes after merge: %s", e.toString());
            }
            dirty.addAll(table.filters());
            scheduleWrite(0);
        });
        reads.execute(() -> {
            remote.clear();
            load();
        });
    }

    private final class Listener implements EntryAddedListener<String, String>, EntryRemovedListener<String, String>,
            EntryEvictedListener<String, String>, EntryExpiredListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            apply(event.getKey(), true);
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            apply(event.getKey(), false);
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event) {
            apply(event.getKey(), false);
        }

        @Override
        public void entryExpired(EntryEvent<String, String> event) {
            apply(event.getKey(), false);
        }

        private void apply(String key, boolean added) {
            int split = key.indexOf(SEPARATOR);
            String owner = key.substring(0, split);
            if (owner.equals(memberId)) {
                return;
            }
            String filter = key.substring(split + 1);
            reads.execute(() -> {
                if (added) {
                    remote.add(owner, filter);
                } else {
                    remote.remove(owner, filter);
                }
            });
        }
    }

    static String key(String memberId, String filter) {
        return memberId + SEPARATOR + filter;
    }

    /**
     * Stops announcing and removes this broker's routes from the cluster, so that the others stop forwarding to it
     * before it leaves.
     */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Stops announcing and following routes.
     *
     * @param withdraw remove this broker's routes now; false when its persistent sessions live on in replicas: the
     *     survivors then hold its routes until one of them adopted the sessions, as after a crash (docs/adr/0017,
     *     "Graceful leave"). Withdrawn routes would let a message published meanwhile be acknowledged with no session
     *     reached: lost.
     */
    public void close(boolean withdraw) {
        closed = true;
        table.announceTo(filter -> { });
        try {
            writes.submit(() -> {
                if (member.isRunning()) {
                    if (listenerId != null) {
                        routes.removeEntryListener(listenerId);
                    }
                    if (withdraw) {
                        routes.removeAll(Predicates.equal("this", memberId));
                    }
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("Removing this broker's routes at shutdown: %s", e.toString());
        }
        writes.shutdownNow();
        reads.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
