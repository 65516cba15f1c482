package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.config.BrokerConfig;

/** The per-session bounds, taken once from configuration. */
public record SessionLimits(int maxQueuedMessages, long maxQueuedBytes, boolean queueQos0Offline, int highWatermark,
        int lowWatermark, int maxSubscriptions) {

    public static SessionLimits from(BrokerConfig config) {
        BrokerConfig.Session s = config.session();
        return new SessionLimits(s.maxQueuedMessages(), s.maxQueuedBytes(), s.queueQos0Offline(),
                s.backpressureHighWatermark(), s.backpressureLowWatermark(),
                config.limits().maxSubscriptionsPerSession());
    }
}
