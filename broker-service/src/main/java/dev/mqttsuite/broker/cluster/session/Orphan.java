package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * A member left the cluster: the records it owned are marked orphaned (persistent sessions: the epoch stays, so a
 * paused owner that comes back sees it lost them) or removed (sessions that ended with their connection anyway). Run
 * by every survivor over all entries; idempotent.
 */
final class Orphan implements EntryProcessor<String, Ownership, Boolean> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String memberId;

    Orphan(String memberId) {
        this.memberId = memberId;
    }

    @Override
    public Boolean process(Map.Entry<String, Ownership> entry) {
        Ownership current = entry.getValue();
        if (current == null || !memberId.equals(current.memberId())) {
            return false;
        }
        entry.setValue(current.persistent() ? current.orphan() : null);
        return current.persistent(); // true once per record cluster-wide: the survivor that ran this first adopts it
    }
}
