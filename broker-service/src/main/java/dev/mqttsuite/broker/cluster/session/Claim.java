package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * The only way ownership of a client id changes hands: runs atomically on the key's partition (and the same on its
 * backup), raises the epoch and names the claimant the owner. It refuses, without change, a claim of another user's
 * session when foreign sessions are refused, and (for a session restored from disk) a claim of a session owned by a
 * live member.
 */
final class Claim implements EntryProcessor<String, Ownership, Claim.Result> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What the claim found and what it left. */
    record Result(Ownership previous, Ownership current, boolean foreign) implements Serializable {
        boolean claimed() {
            return current != null;
        }
    }

    private final Ownership claimant; // epoch ignored
    private final boolean refuseForeign;
    private final boolean onlyIfFree;

    Claim(Ownership claimant, boolean refuseForeign, boolean onlyIfFree) {
        this.claimant = claimant;
        this.refuseForeign = refuseForeign;
        this.onlyIfFree = onlyIfFree;
    }

    @Override
    public Result process(Map.Entry<String, Ownership> entry) {
        Ownership previous = entry.getValue();
        if (previous != null) {
            boolean mine = previous.incarnation().equals(claimant.incarnation());
            if (onlyIfFree && !mine && !previous.orphaned()) {
                return new Result(previous, null, false);
            }
            if (refuseForeign && !previous.orphaned() && previous.user() != null
                    && !Objects.equals(previous.user(), claimant.user())) {
                return new Result(previous, null, true);
            }
        }
        long epoch = previous == null ? 1 : previous.epoch() + 1;
        Ownership current = new Ownership(claimant.incarnation(), claimant.nodeId(), claimant.memberId(), epoch,
                onlyIfFree && previous != null && previous.user() != null ? previous.user() : claimant.user(),
                claimant.persistent());
        entry.setValue(current);
        return new Result(previous, current, false);
    }
}
