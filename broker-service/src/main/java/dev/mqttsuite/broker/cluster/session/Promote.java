package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.EntryProcessor;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import java.io.Serial;
import java.util.Map;

/**
 * A broker that claimed a session whose owner is gone (left the cluster, or did not answer the takeover) takes the
 * replica: atomically, the replica's writer becomes the claimant (so records the old owner might still send are
 * refused from now on: it is fenced) and its state is returned in snapshot form. Null when there is no replica, or
 * when the replica was not written by the owner the claim replaced (a stale copy) or by an even newer claim.
 */
final class Promote implements EntryProcessor<String, Replica, byte[]> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String previousIncarnation;
    private final String incarnation;
    private final long epoch;
    private final long lostAtMillis;

    Promote(String previousIncarnation, String incarnation, long epoch, long lostAtMillis) {
        this.previousIncarnation = previousIncarnation;
        this.incarnation = incarnation;
        this.epoch = epoch;
        this.lostAtMillis = lostAtMillis;
    }

    @Override
    public byte[] process(Map.Entry<String, Replica> entry) {
        Replica replica = entry.getValue();
        if (replica == null || replica.epoch() >= epoch || !replica.incarnation().equals(previousIncarnation)) {
            return null;
        }
        replica.writer(incarnation, epoch);
        entry.setValue(replica);
        SessionState state = replica.state(lostAtMillis);
        return state == null ? null : SessionSnapshot.encode(state);
    }
}
