package dev.mqttsuite.broker.support;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.SessionListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connected subscriber without a socket that records the payloads it is sent; stalled while {@code full} is set. */
public final class RecordingSubscriber implements SessionListener {

    public final List<String> received = new CopyOnWriteArrayList<>();
    /** The packet identifier of each QoS 1/2 delivery, in the order of {@link #received}. */
    public final List<Integer> packetIds = new CopyOnWriteArrayList<>();
    public volatile boolean full;

    @Override
    public boolean sendPublish(Delivery delivery, long nowMillis) {
        received.add(new String(delivery.message().payload(), StandardCharsets.UTF_8));
        packetIds.add(delivery.packetId());
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
    }

    @Override
    public int clientReceiveMaximum() {
        return 65535;
    }

    @Override
    public boolean writeQueueFull() {
        return full;
    }

    @Override
    public void runOnLoop(Runnable task) {
        task.run();
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public Permissions deliveryPermissions() {
        return Permissions.ALL;
    }
}
