package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.config.BrokerConfig;

/**
 * The per-session bounds, taken once from configuration, and the broker-wide budget of queued bytes that all sessions
 * share.
 */
public record SessionLimits(int maxQueuedMessages, long maxQueuedBytes, boolean queueQos0Offline, int highWatermark,
        int lowWatermark, int maxSubscriptions, BrokerConfig.QueueOverflow overflow, QueueBudget total) {

    /** Limits with the default overflow policy (drop the new message) and no broker-wide budget. */
    public SessionLimits(int maxQueuedMessages, long maxQueuedBytes, boolean queueQos0Offline, int highWatermark,
            int lowWatermark, int maxSubscriptions) {
        this(maxQueuedMessages, maxQueuedBytes, queueQos0Offline, highWatermark, lowWatermark, maxSubscriptions,
                BrokerConfig.QueueOverflow.DROP_NEW, new QueueBudget(Long.MAX_VALUE));
    }

    public static SessionLimits from(BrokerConfig config) {
        BrokerConfig.Session s = config.session();
        return new SessionLimits(s.maxQueuedMessages(), s.maxQueuedBytes(), s.queueQos0Offline(),
                s.backpressureHighWatermark(), s.backpressureLowWatermark(),
                config.limits().maxSubscriptionsPerSession(), s.queueOverflow(),
                new QueueBudget(s.maxTotalQueuedBytes()));
    }
}
