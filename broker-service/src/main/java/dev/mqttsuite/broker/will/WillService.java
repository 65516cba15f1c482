package dev.mqttsuite.broker.will;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.MessagePublisher;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Publishes Will Messages: at once, or after the Will Delay Interval (bounded by the session expiry) unless the
 * client's session resumes first [MQTT-3.1.3-9]. Delayed wills are kept by client id.
 */
public final class WillService {

    private static final Logger LOG = Logger.getLogger(WillService.class);

    private record Scheduled(Will.Pending pending, ScheduledFuture<?> timer) {
    }

    private final MessagePublisher publisher;
    private final ConcurrentHashMap<String, Scheduled> delayed = new ConcurrentHashMap<>();

    public WillService(MessagePublisher publisher) {
        this.publisher = publisher;
    }

    /** Publishes the will now, if the client's permissions allow it. */
    public void publish(Will.Pending pending) {
        Message message = pending.will().toPublish(System.currentTimeMillis());
        if (!pending.permissions().mayPublish(message.topic(), message.qos(), message.retain())) {
            LOG.debugf("Will of %s on %s not published: not authorized", message.publisherClientId(), message.topic());
            return;
        }
        publisher.publishInternal(message);
    }

    /** Publishes when {@code timer} fires (after the will delay), unless cancelled by a reconnect. */
    public void schedule(String clientId, Will.Pending pending, Function<Runnable, ScheduledFuture<?>> timer) {
        ScheduledFuture<?> scheduled = timer.apply(() -> {
            Scheduled current = delayed.get(clientId);
            if (current != null && current.pending() == pending && delayed.remove(clientId, current)) {
                publish(pending);
            }
        });
        Scheduled previous = delayed.put(clientId, new Scheduled(pending, scheduled));
        if (previous != null) {
            previous.timer().cancel(false);
            publish(previous.pending());
        }
    }

    /**
     * A client with this id connected: a resumed session cancels its delayed will; a new session means the old one
     * ended, so its will is published now.
     */
    public void onReconnect(String clientId, boolean sessionResumed) {
        Scheduled scheduled = delayed.remove(clientId);
        if (scheduled == null) {
            return;
        }
        scheduled.timer().cancel(false);
        if (!sessionResumed) {
            publish(scheduled.pending());
        }
    }

    /** The session of this client ended (expiry): a will still waiting is published now. */
    public void onSessionEnd(String clientId) {
        Scheduled scheduled = delayed.remove(clientId);
        if (scheduled != null) {
            scheduled.timer().cancel(false);
            publish(scheduled.pending());
        }
    }

    public int delayedCount() {
        return delayed.size();
    }
}
