package dev.mqttsuite.broker.subscribe;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.reason.UnsubackReasonCode;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.SubscriptionTopic;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * UNSUBSCRIBE (MQTT 5.0 section 3.10): removes each subscription and answers UNSUBACK, MQTT 5 with a code per filter:
 * 0x00, 0x11 No subscription existed, 0x8F Topic Filter invalid [MQTT-3.11.3-1].
 */
public final class UnsubscribeHandler implements PacketHandler<MqttUnsubscribeMessage> {

    private final RouteTable routes;

    public UnsubscribeHandler(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void handle(MqttConnection connection, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics(); // never empty: the decoder refuses that
        Session session = connection.session();
        List<Short> codes = new ArrayList<>(filters.size());
        for (String filter : filters) {
            UnsubackReasonCode code;
            try {
                SubscriptionTopic topic = SubscriptionTopic.parse(filter);
                SubscriptionOptions removed = session.removeSubscription(topic);
                routes.unsubscribe(session, topic);
                code = removed == null ? UnsubackReasonCode.NO_SUBSCRIPTION_EXISTED : UnsubackReasonCode.SUCCESS;
            } catch (InvalidTopicException e) {
                code = UnsubackReasonCode.TOPIC_FILTER_INVALID;
            }
            codes.add((short) code.reasonCode().unsignedCode());
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        int packetId = unsubscribe.variableHeader().messageId();
        connection.write(new MqttUnsubAckMessage(header,
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                connection.isMqtt5() ? new MqttUnsubAckPayload(codes) : new MqttUnsubAckPayload()));
    }
}
