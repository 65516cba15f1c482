package dev.mqttsuite.broker.session;

/**
 * What a subscription asked for (MQTT 5.0 section 3.8.3.1) plus its subscription identifier (0 = none).
 *
 * @param qos the granted maximum QoS
 * @param noLocal do not deliver the subscriber's own messages [MQTT-3.8.3-3]
 * @param retainAsPublished keep the RETAIN flag as published when forwarding [MQTT-3.3.1-12, MQTT-3.3.1-13]
 * @param retainHandling 0 send retained at subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId the Subscription Identifier, 0 when absent
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
        int subscriptionId) {
}
