package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.EntryProcessor;
import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Applies one batch of an owner's records to a session's replica, atomically on the key's partition and then the same
 * on its backup (Hazelcast answers after the synchronous backup acknowledged): the owner's acknowledgements wait for
 * this. Refused, unchanged, when the replica was written under a newer claim (the sender is a stale owner).
 */
final class ReplicaUpdate implements EntryProcessor<String, Replica, Boolean> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String incarnation;
    private final long epoch;
    /** A whole state to start from (snapshot form), or null. */
    private final byte[] reset;
    private final byte[] records;
    private final boolean opens;

    ReplicaUpdate(String incarnation, long epoch, byte[] reset, byte[] records, boolean opens) {
        this.incarnation = incarnation;
        this.epoch = epoch;
        this.reset = reset;
        this.records = records;
        this.opens = opens;
    }

    @Override
    public Boolean process(Map.Entry<String, Replica> entry) {
        Replica replica = entry.getValue();
        if (replica != null && epoch < replica.epoch()) {
            return false; // fenced: a newer claim wrote this replica
        }
        try {
            SessionState state = reset == null ? null : SessionSnapshot.decode(reset);
            if (replica == null) {
                if (state == null && !opens) {
                    return true; // nothing replicated for this session (it ended, or never outlived a connection)
                }
                replica = new Replica(entry.getKey(), incarnation, epoch, state);
            } else {
                replica.writer(incarnation, epoch);
                if (state != null) {
                    replica.reset(state);
                }
            }
            replica.apply(records);
        } catch (IOException e) {
            throw new UncheckedIOException("Replica of session " + entry.getKey() + ": unreadable records", e);
        }
        entry.setValue(replica.present() ? replica : null);
        return true;
    }
}
