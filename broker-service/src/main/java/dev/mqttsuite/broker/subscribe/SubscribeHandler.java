package dev.mqttsuite.broker.subscribe;

import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.quota.QuotaMetrics;
import dev.mqttsuite.broker.retained.RetainedDelivery;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.reason.Mqtt3Mapping;
import dev.mqttsuite.reason.SubackReasonCode;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (MQTT 5.0 section 3.8): validates every filter through the shared topic algebra, authorizes it, records
 * it in the session and the index, answers SUBACK with one code per filter [MQTT-3.8.4-6], then streams matching
 * retained messages according to Retain Handling.
 */
public final class SubscribeHandler implements PacketHandler<MqttSubscribeMessage> {

    private final RouteTable routes;
    private final RetainedDelivery retainedDelivery;
    private final Disconnector disconnector;
    private final BrokerConfig.Limits limits;
    private final QuotaMetrics quotaMetrics;
    private final boolean shareGroupRules;

    /**
     * @param shareGroupRules whether joining a shared-subscription group needs a rule for the group
     *     ({@code broker.auth.share-groups=rules}) or only the filter's rule ({@code filter})
     */
    public SubscribeHandler(RouteTable routes, RetainedDelivery retainedDelivery, Disconnector disconnector,
            BrokerConfig.Limits limits, QuotaMetrics quotaMetrics, boolean shareGroupRules) {
        this.routes = routes;
        this.retainedDelivery = retainedDelivery;
        this.disconnector = disconnector;
        this.limits = limits;
        this.quotaMetrics = quotaMetrics;
        this.shareGroupRules = shareGroupRules;
    }

    @Override
    public void handle(MqttConnection connection, MqttSubscribeMessage subscribe) {
        int packetId = subscribe.variableHeader().messageId();
        MqttProperties props = subscribe.idAndPropertiesVariableHeader().properties();
        int subscriptionId = 0;
        if (connection.isMqtt5()) {
            List<Integer> ids = Props.integers(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
            if (ids.size() > 1 || (ids.size() == 1 && ids.get(0) == 0)) {
                disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                        "a SUBSCRIBE carries at most one Subscription Identifier, not 0"); // [MQTT-3.8.2-? 3.8.2.1.2]
                return;
            }
            subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        }
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions(); // never empty: decoder
        Session session = connection.session();
        List<Integer> codes = new ArrayList<>(requested.size());
        List<RetainedDelivery.Request> retainedRequests = new ArrayList<>();
        for (MqttTopicSubscription entry : requested) {
            SubackReasonCode code = subscribeOne(connection, session, entry, subscriptionId, retainedRequests);
            if (code == null) {
                return; // disconnected
            }
            codes.add(connection.isMqtt5() ? code.reasonCode().unsignedCode() : Mqtt3Mapping.subackReturnCode(code));
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        connection.write(new MqttSubAckMessage(header,
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        for (RetainedDelivery.Request request : retainedRequests) {
            retainedDelivery.start(session, request);
        }
    }

    private SubackReasonCode subscribeOne(MqttConnection connection, Session session, MqttTopicSubscription entry,
            int subscriptionId, List<RetainedDelivery.Request> retainedRequests) {
        SubscriptionTopic topic;
        try {
            topic = SubscriptionTopic.parse(entry.topicFilter());
        } catch (InvalidTopicException e) {
            return SubackReasonCode.TOPIC_FILTER_INVALID; // [MQTT-3.8.3-1] malformed filters are refused one by one
        }
        MqttSubscriptionOption option = entry.option();
        boolean shared = topic instanceof SharedSubscription;
        if (shared && option.isNoLocal()) {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                    "No Local on a shared subscription"); // [MQTT-3.8.3-4]
            return null;
        }
        if (topic.filter().depth() > limits.maxTopicLevels()) {
            return SubackReasonCode.TOPIC_FILTER_INVALID;
        }
        int qos = Math.min(option.qos().value(), limits.maxQos());
        boolean allowed = shared && shareGroupRules
                ? connection.effectivePermissions().mayJoinShareGroup((SharedSubscription) topic, qos)
                : connection.effectivePermissions().maySubscribe(topic.filter(), qos);
        if (!allowed) {
            return SubackReasonCode.NOT_AUTHORIZED; // a share group is a permission of its own (ADR 0013)
        }
        if (!session.canAddSubscription(topic)) {
            quotaMetrics.exceeded(QuotaMetrics.Kind.SUBSCRIPTIONS); // broker.limits.max-subscriptions-per-session
            return SubackReasonCode.QUOTA_EXCEEDED;
        }
        int retainHandling = option.retainHandling().value();
        SubscriptionOptions options = new SubscriptionOptions(qos,
                connection.isMqtt5() && option.isNoLocal(),
                connection.isMqtt5() && option.isRetainAsPublished(),
                connection.isMqtt5() ? retainHandling : 0,
                subscriptionId);
        SubscriptionOptions previous = session.putSubscription(topic, options);
        routes.subscribe(session, topic, options);
        boolean sendRetained = !shared // retained messages are not sent for shared subscriptions [MQTT-3.8.4-? 4.8.2]
                && (options.retainHandling() == 0 || (options.retainHandling() == 1 && previous == null));
        if (sendRetained) {
            retainedRequests.add(new RetainedDelivery.Request(topic.filter(), options));
        }
        return SubackReasonCode.grantedQos(qos);
    }
}
