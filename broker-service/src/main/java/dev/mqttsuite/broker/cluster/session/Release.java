package dev.mqttsuite.broker.cluster.session;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/** The owner ended the session: its record goes, unless someone claimed the client id since (epoch moved on). */
final class Release implements EntryProcessor<String, Ownership, Boolean> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String incarnation;
    private final long epoch;

    Release(String incarnation, long epoch) {
        this.incarnation = incarnation;
        this.epoch = epoch;
    }

    @Override
    public Boolean process(Map.Entry<String, Ownership> entry) {
        Ownership current = entry.getValue();
        if (current == null || !current.incarnation().equals(incarnation) || current.epoch() != epoch) {
            return false;
        }
        entry.setValue(null);
        return true;
    }
}
