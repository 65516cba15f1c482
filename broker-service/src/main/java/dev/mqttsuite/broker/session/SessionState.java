package dev.mqttsuite.broker.session;

import dev.mqttsuite.topic.SubscriptionTopic;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What survives a restart of a session ({@code broker.session.persistence=file}): everything the client may expect
 * when it resumes [MQTT-4.1.0-1]. Deliveries that came through a shared subscription stay with this session.
 *
 * @param expiryIntervalSeconds the interval in force: CONNECT's, or DISCONNECT's when the client changed it, both
 *     bounded by the broker's maximum ({@link SessionExpiry})
 * @param detachedAtMillis when the last connection went away (wall clock)
 * @param will the will still to be published for this session, or null
 * @param owner the principal of the user the session belongs to; null when unknown (a snapshot of an older version)
 */
public record SessionState(String clientId, long expiryIntervalSeconds, long detachedAtMillis,
        Map<SubscriptionTopic, SubscriptionOptions> subscriptions, List<Delivery> inflight, List<Delivery> queue,
        Set<Integer> inboundQos2, int nextPacketId, StoredWill will, String owner) {

    public SessionState(String clientId, long expiryIntervalSeconds, long detachedAtMillis,
            Map<SubscriptionTopic, SubscriptionOptions> subscriptions, List<Delivery> inflight, List<Delivery> queue,
            Set<Integer> inboundQos2, int nextPacketId, StoredWill will) {
        this(clientId, expiryIntervalSeconds, detachedAtMillis, subscriptions, inflight, queue, inboundQos2,
                nextPacketId, will, null);
    }

    public SessionState(String clientId, long expiryIntervalSeconds, long detachedAtMillis,
            Map<SubscriptionTopic, SubscriptionOptions> subscriptions, List<Delivery> inflight, List<Delivery> queue,
            Set<Integer> inboundQos2, int nextPacketId) {
        this(clientId, expiryIntervalSeconds, detachedAtMillis, subscriptions, inflight, queue, inboundQos2,
                nextPacketId, null);
    }
}
