package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.session.SessionState;
import java.io.IOException;
import java.util.List;

/**
 * The session log's records outside the log: encoded as one batch (the log's frame payload), and replayed over one
 * session's state. The cluster ships a persistent session's records to its replica this way (ADR 0017), so the replica
 * applies exactly the rules the log's recovery applies.
 */
public final class SessionRecords {

    private SessionRecords() {
    }

    /** The records as one batch, a message shared by several records written once. */
    public static byte[] encode(List<LogRecord> records) {
        RecordCodec codec = new RecordCodec();
        codec.reset();
        try {
            for (LogRecord record : records) {
                codec.write(record);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Encoding session records in memory", e);
        }
        return codec.buffer().toByteArray();
    }

    /** Whether a batch opens a session (a new one, or one that now outlives its connection) of this client id. */
    public static boolean opens(List<LogRecord> records) {
        return records.stream().anyMatch(LogRecord.Opened.class::isInstance);
    }

    /** One session rebuilt from a state and the records after it; not thread-safe (its owner serializes calls). */
    public static final class Replay {
        private final String clientId;
        private final LogReplay replay = new LogReplay();

        /** @param initial the state to start from; null: nothing until an {@link LogRecord.Opened} record */
        public Replay(String clientId, SessionState initial) {
            this.clientId = clientId;
            if (initial != null) {
                replay.load(List.of(initial));
            }
        }

        /** Applies a batch of {@link #encode encoded} records in order; records of other client ids are ignored. */
        public void apply(byte[] batch) throws IOException {
            RecordCodec.read(batch, 0, batch.length, record -> {
                if (record.clientId().equals(clientId)) {
                    replay.apply(record);
                }
            });
        }

        /**
         * The session as the records left it, or null when it ended (or never opened). A connection still attached
         * counts as gone at {@code lostAtMillis} (its broker died).
         */
        public SessionState state(long lostAtMillis) {
            List<SessionState> states = replay.states(lostAtMillis);
            return states.isEmpty() ? null : states.getFirst();
        }

        /** Whether the session exists (opened and not ended): cheap, unlike {@link #state}. */
        public boolean present() {
            return replay.has(clientId);
        }

        /** Whether a connection was attached when the records end (its will is due when its broker died). */
        public boolean attached() {
            return replay.wasAttached(clientId);
        }
    }
}
