package dev.mqttsuite.broker.cluster.stats;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.sys.ClusterCounts;
import dev.mqttsuite.broker.sys.NodeCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The members' {@code $SYS} figures in Hazelcast, for the cluster-wide {@code $SYS/cluster/...} topics: an
 * {@code IMap} {@value #MAP}, key the member UUID, value its latest {@link NodeCounts}, written by each member every
 * {@code broker.sys.interval} with a time to live. Each member follows the map through an entry listener into a local
 * copy, so publishing the topics reads memory and never waits on the network; its own writes are asynchronous.
 *
 * <p>Departed members: every survivor drops a member's entry when Hazelcast reports it gone (idempotent), and only
 * current members' figures are counted; the time to live removes what a member stopped refreshing (after a split, the
 * entry of a UUID that no longer exists), so nothing stays behind. A member that joins is counted from its first
 * write, within one interval.
 */
public final class HazelcastClusterCounts implements ClusterCounts {

    private static final Logger LOG = Logger.getLogger(HazelcastClusterCounts.class);

    /** The map's name. */
    public static final String MAP = "mqtt.sys-counts";

    private final ClusterMember member;
    private final IMap<String, NodeCounts> map;
    private final Duration ttl;
    private final Map<String, NodeCounts> known = new ConcurrentHashMap<>();

    /**
     * @param ttl how long an entry lives without being refreshed: a few {@code broker.sys.interval}s
     */
    public HazelcastClusterCounts(ClusterMember member, Duration ttl) {
        this.member = member;
        this.map = member.hazelcast().getMap(MAP);
        this.ttl = ttl;
    }

    /** The time to live of an entry for publishing every {@code interval}: 3 intervals, at least 10 s. */
    public static Duration ttlFor(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : three;
    }

    /** Starts following the map and loads what is there. Blocks (startup thread). */
    public HazelcastClusterCounts start() {
        map.addEntryListener(new Listener(), true);
        member.onMembership(peer -> { }, peer -> departed(peer.memberId()));
        map.forEach(known::putIfAbsent); // entries written meanwhile arrived through the listener: they are newer
        return this;
    }

    @Override
    public String nodeId() {
        return member.nodeId();
    }

    @Override
    public int members() {
        return member.size();
    }

    @Override
    public void share(NodeCounts own) {
        if (!member.isRunning()) {
            return;
        }
        String memberId = member.currentMemberId(); // a new UUID after a split brain healed
        known.put(memberId, own);
        try {
            map.putAsync(memberId, own, ttl.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
                LOG.debugf("Sharing the $SYS figures failed (next interval retries): %s", e.toString());
                return null;
            });
        } catch (HazelcastInstanceNotActiveException e) {
            LOG.debugf("Not sharing the $SYS figures: the member stopped");
        }
    }

    @Override
    public Collection<NodeCounts> nodes() {
        List<NodeCounts> nodes = new ArrayList<>();
        known.forEach((memberId, counts) -> {
            if (member.isRunning() && member.isMember(memberId)) {
                nodes.add(counts);
            }
        });
        return nodes;
    }

    /** A member left: its figures go here at once and from the map (every survivor does it; idempotent). */
    private void departed(String memberId) {
        known.remove(memberId);
        if (member.isRunning()) {
            try {
                map.removeAsync(memberId);
            } catch (HazelcastInstanceNotActiveException e) {
                LOG.debugf("Not removing the $SYS figures of %s: the member stopped", memberId);
            }
        }
    }

    private final class Listener implements EntryAddedListener<String, NodeCounts>,
            EntryUpdatedListener<String, NodeCounts>, EntryRemovedListener<String, NodeCounts>,
            EntryExpiredListener<String, NodeCounts>, EntryEvictedListener<String, NodeCounts> {

        @Override
        public void entryAdded(EntryEvent<String, NodeCounts> event) {
            known.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, NodeCounts> event) {
            known.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, NodeCounts> event) {
            known.remove(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, NodeCounts> event) {
            known.remove(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, NodeCounts> event) {
            known.remove(event.getKey());
        }
    }
}
