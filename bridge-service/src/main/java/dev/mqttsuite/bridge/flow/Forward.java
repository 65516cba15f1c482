package dev.mqttsuite.bridge.flow;

/** A message on its way across the bridge, already mapped to the target's topic. Confined to the bridge's loop. */
public final class Forward {

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retain;
    private final AckSequencer.Receipt receipt;
    private boolean sent;

    /** @param receipt its acknowledgement to the source (QoS 1), or null (QoS 0) */
    public Forward(String topic, byte[] payload, int qos, boolean retain, AckSequencer.Receipt receipt) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.receipt = receipt;
    }

    public String topic() {
        return topic;
    }

    public byte[] payload() {
        return payload;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public AckSequencer.Receipt receipt() {
        return receipt;
    }

    /** Marks the first send; false when it was sent before (a resend, with DUP). */
    boolean firstSend() {
        if (sent) {
            return false;
        }
        sent = true;
        return true;
    }
}
