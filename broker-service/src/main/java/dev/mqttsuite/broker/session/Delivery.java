package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.index.SharedGroup;

/**
 * One message on its way to one session: the message, the QoS and RETAIN flag it is delivered with, the subscription
 * identifiers to attach, and (for QoS 1/2) the packet identifier and acknowledgement state once sent. Mutable state is
 * guarded by the owning {@link Session}'s lock.
 */
public final class Delivery {

    private static final int[] NO_IDS = new int[0];

    final Message message;
    final int qos;
    final boolean retain;
    final int[] subscriptionIds;
    /** The shared group the message was routed through, for redelivery to another member; null otherwise. */
    final SharedGroup<Session, SubscriptionOptions> sharedGroup;

    int packetId;
    /** QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP. */
    boolean released;
    /** Sent at least once (a resend carries DUP=1 [MQTT-3.3.1-1]). */
    boolean sent;
    /** Identifies the delivery within its session in the session journal; 0 when the journal does not have it. */
    long journalId;
    /** Queued while no connection was attached (or restored): the receiver's permissions are checked again at send. */
    boolean recheck;
    /** Another broker's copy of this shared-group message, settled when the delivery ends here; null if none. */
    Custody custody;

    public Delivery(Message message, int qos, boolean retain, int[] subscriptionIds,
            SharedGroup<Session, SubscriptionOptions> sharedGroup) {
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds == null ? NO_IDS : subscriptionIds;
        this.sharedGroup = sharedGroup;
    }

    public Message message() {
        return message;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public int[] subscriptionIds() {
        return subscriptionIds;
    }

    public int packetId() {
        return packetId;
    }

    public boolean duplicate() {
        return sent;
    }

    /** QoS 2: PUBREC received, PUBREL sent. */
    public boolean released() {
        return released;
    }

    public long journalId() {
        return journalId;
    }

    /**
     * A delivery as the session journal or a snapshot recorded it, to be put back into a restored session.
     *
     * @param packetId 0 when it was still queued, otherwise the identifier it was sent under
     */
    public static Delivery recovered(Message message, int qos, boolean retain, int[] subscriptionIds, long journalId,
            int packetId, boolean released) {
        Delivery d = new Delivery(message, qos, retain, subscriptionIds, null);
        d.journalId = journalId;
        d.packetId = packetId;
        d.released = released;
        d.sent = packetId != 0;
        d.recheck = true;
        return d;
    }

    /** The shared group the message came through, or null. */
    /** Another broker's copy of this shared-group message (null if none); a hand-on to another member keeps it. */
    public Custody custody() {
        return custody;
    }

    /** Set by the router before the delivery is queued. */
    public Delivery withCustody(Custody held) {
        this.custody = held;
        return this;
    }

    /** The message ended here (acknowledged, recorded or dropped): the broker holding a copy can forget it. */
    void settle() {
        if (custody != null) {
            custody.settle();
        }
    }

    public SharedGroup<Session, SubscriptionOptions> sharedGroup() {
        return sharedGroup;
    }

    /** What the delivery counts against the queue limits, in bytes. */
    public long size() {
        return message.payload().length + message.topic().value().length() + 16L;
    }
}
