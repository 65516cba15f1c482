package dev.mqttsuite.broker.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A session's outbound QoS 1/2 deliveries that were sent and not yet acknowledged, in send order, by packet
 * identifier; identifiers are not reused while in use [MQTT-2.2.1-3]. Guarded by the owning session's lock.
 */
final class Inflight {

    private final LinkedHashMap<Integer, Delivery> byPacketId = new LinkedHashMap<>();
    private int nextPacketId = 1;

    /** Gives the delivery a free packet identifier and records it. */
    void add(Delivery delivery) {
        delivery.packetId = allocate();
        byPacketId.put(delivery.packetId, delivery);
    }

    /** Puts back a delivery restored from a snapshot, with its packet identifier. */
    void restore(Delivery delivery) {
        byPacketId.put(delivery.packetId, delivery);
    }

    Delivery get(int packetId) {
        return byPacketId.get(packetId);
    }

    Delivery remove(int packetId) {
        return byPacketId.remove(packetId);
    }

    int size() {
        return byPacketId.size();
    }

    Collection<Delivery> all() {
        return byPacketId.values();
    }

    void clear() {
        byPacketId.clear();
    }

    /** Removes and returns the shared-subscription deliveries whose PUBREC has not arrived (another member may take them). */
    List<Delivery> takeUnreleasedShared() {
        List<Delivery> out = new ArrayList<>();
        for (Iterator<Delivery> it = byPacketId.values().iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.sharedGroup != null && !d.released) {
                it.remove();
                out.add(d);
            }
        }
        return out;
    }

    int nextPacketId() {
        return nextPacketId;
    }

    void nextPacketId(int id) {
        nextPacketId = id < 1 || id > 65535 ? 1 : id;
    }

    private int allocate() {
        for (int i = 0; i < 65535; i++) {
            int id = nextPacketId;
            nextPacketId = id == 65535 ? 1 : id + 1;
            if (!byPacketId.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet identifier");
    }
}
