package dev.mqttsuite.broker.connection;

/**
 * The broker's Receive Maximum towards one client: how many of its QoS 1 and QoS 2 PUBLISHes are unacknowledged.
 * A QoS 1 PUBLISH counts until its PUBACK is sent, a QoS 2 PUBLISH until its PUBCOMP is sent; a client that exceeds
 * the maximum is disconnected with 0x93 [MQTT-3.3.4-9]. Loop-confined: no synchronization.
 */
public final class InboundWindow {

    private final int receiveMaximum;
    private int unacknowledged;

    public InboundWindow(int receiveMaximum) {
        this.receiveMaximum = receiveMaximum;
    }

    /** Takes a slot for a QoS 1/2 PUBLISH; false when the client already has {@code receiveMaximum} in flight. */
    public boolean tryAcquire() {
        if (unacknowledged >= receiveMaximum) {
            return false;
        }
        unacknowledged++;
        return true;
    }

    /** PUBACK (QoS 1), PUBCOMP or an error PUBREC (QoS 2) was sent: the slot is free again. */
    public void release() {
        if (unacknowledged > 0) {
            unacknowledged--;
        }
    }

    public int unacknowledged() {
        return unacknowledged;
    }

    public int receiveMaximum() {
        return receiveMaximum;
    }
}
