package dev.mqttsuite.broker.cluster.session;

import dev.mqttsuite.broker.session.SessionSnapshot;
import dev.mqttsuite.broker.session.SessionState;
import dev.mqttsuite.broker.session.log.SessionRecords;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * The replica of one persistent session: the value of the replica map (key: the client id), kept by Hazelcast on the
 * key's partition owner and its synchronous backup, so it survives the loss of any one broker. It is the session log's
 * replay of the owner's records ({@link SessionRecords.Replay}), tagged with the writer's incarnation and claim epoch:
 * records of an older epoch are refused, which fences a stale owner (docs/adr/0017-cluster-session-replication.md).
 *
 * <p>Changed only inside the entry processors of this package, on the partition thread (the map keeps values as
 * objects, so an update applies its records in place). Serialized, for a migration or a backup copy, as the session's
 * snapshot form.
 */
final class Replica implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String clientId;
    private String incarnation;
    private long epoch;
    private transient SessionRecords.Replay replay;

    Replica(String clientId, String incarnation, long epoch, SessionState initial) {
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.epoch = epoch;
        this.replay = new SessionRecords.Replay(clientId, initial);
    }

    String incarnation() {
        return incarnation;
    }

    long epoch() {
        return epoch;
    }

    /** The writer of the records from now on (a newer claim). */
    void writer(String incarnation, long epoch) {
        this.incarnation = incarnation;
        this.epoch = epoch;
    }

    /** Starts again from a whole state (a session restored from disk and claimed, ADR 0017). */
    void reset(SessionState state) {
        replay = new SessionRecords.Replay(clientId, state);
    }

    void apply(byte[] records) throws IOException {
        replay.apply(records);
    }

    boolean present() {
        return replay.present();
    }

    /** The session as replicated; a connection still attached counts as lost at {@code lostAtMillis}. */
    SessionState state(long lostAtMillis) {
        return replay.state(lostAtMillis);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        SessionState state = replay.state(0); // 0: still attached, kept as such
        out.writeBoolean(state != null);
        if (state != null) {
            byte[] bytes = SessionSnapshot.encode(state);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        SessionState state = null;
        if (in.readBoolean()) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            state = SessionSnapshot.decode(bytes);
        }
        replay = new SessionRecords.Replay(clientId, state);
    }
}
