package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.auth.Permissions;

/** What a session needs from the connection it is attached to. Implemented by the connection; called on its loop. */
public interface SessionListener {

    /** Writes a PUBLISH for the delivery; returns false if it could not be sent (too large for the client). */
    boolean sendPublish(Delivery delivery, long nowMillis);

    /** Writes a PUBREL for an outbound QoS 2 message whose PUBREC arrived. */
    void sendPubrel(int packetId);

    /** The client's Receive Maximum: how many QoS 1/2 PUBLISHes may be unacknowledged towards it. */
    int clientReceiveMaximum();

    /** Whether the socket's outbound buffer is full; the connection then calls {@code drain} when writable again. */
    boolean writeQueueFull();

    /** Runs the task on the connection's event loop. */
    void runOnLoop(Runnable task);

    /** Stops reading from this connection's socket (publisher back-pressure). Called on this connection's loop. */
    void pauseReading();

    /** Resumes reading (called on any thread; implementations hop to their loop). */
    void resumeReading();

    /** What the connected client may receive now: read access is re-checked at every delivery. */
    Permissions deliveryPermissions();
}
