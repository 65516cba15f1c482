package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * A member left the cluster: the records it owned are marked orphaned (persistent sessions: the epoch stays, so a
 * paused owner that comes back sees it lost them) or removed (sessions that ended with their connection anyway). Run
 * by every survivor over all entries; idempotent.
 *
 * <p>Nothing changes while the member is in the cluster as seen where the entry lives: a run that was retried across a
 * split that healed (the "departed" member was alive on the other side, and the broker running this was the one cut
 * off) must not orphan the sessions of a live broker, which another broker would then adopt while their clients are
 * connected to it (seen in CI: a broker resumed after SIGSTOP took a moved client's session back this way).
 */
final class Orphan implements EntryProcessor<String, Ownership, Boolean>, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String memberId;
    private transient HazelcastInstance hazelcast;

    Orphan(String memberId) {
        this.memberId = memberId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hazelcast = hazelcastInstance;
    }

    @Override
    public Boolean process(Map.Entry<String, Ownership> entry) {
        Ownership current = entry.getValue();
        if (current == null || !memberId.equals(current.memberId()) || stillMember()) {
            return false;
        }
        entry.setValue(current.persistent() ? current.orphan() : null);
        return current.persistent(); // true once per record cluster-wide: the survivor that ran this first adopts it
    }

    private boolean stillMember() {
        return hazelcast != null && hazelcast.getCluster().getMembers().stream()
                .anyMatch(member -> member.getUuid().toString().equals(memberId));
    }
}
