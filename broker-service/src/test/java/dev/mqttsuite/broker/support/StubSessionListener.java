package dev.mqttsuite.broker.support;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.SessionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection as a session sees it, for session-level tests: records what it is sent, keeps the tasks meant for its
 * event loop until the test runs them, never reports a full socket.
 */
public final class StubSessionListener implements SessionListener {

    public final List<Delivery> sent = new ArrayList<>();
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Permissions permissions;

    public StubSessionListener() {
        this(Permissions.ALL);
    }

    /** A connection whose user has these permissions now. */
    public StubSessionListener(Permissions permissions) {
        this.permissions = permissions;
    }

    /** Runs the loop tasks queued so far (and those they queue). */
    public void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** Waits up to 10 s for a loop task, then runs it and everything queued after it. */
    public void awaitAndRunAll() throws InterruptedException {
        Runnable first = tasks.poll(10, TimeUnit.SECONDS);
        if (first != null) {
            first.run();
        }
        runAll();
    }

    @Override
    public boolean sendPublish(Delivery delivery, long nowMillis) {
        sent.add(delivery);
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
    }

    @Override
    public int clientReceiveMaximum() {
        return 100;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void runOnLoop(Runnable task) {
        tasks.add(task);
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public Permissions deliveryPermissions() {
        return permissions;
    }
}
