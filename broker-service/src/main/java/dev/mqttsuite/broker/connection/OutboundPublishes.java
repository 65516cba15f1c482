package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.session.Delivery;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the PUBLISH packets one connection receives: MQTT 5 properties (with the remaining Message Expiry Interval
 * [MQTT-3.3.2-6] and the subscription identifiers [MQTT-3.3.4-3]), outbound topic aliases up to the client's Topic
 * Alias Maximum [MQTT-3.3.2-9], and the client's Maximum Packet Size [MQTT-3.1.2-25]. Loop-confined.
 */
final class OutboundPublishes {

    private final BrokerMetrics metrics;
    private final boolean mqtt5;
    private final long maximumPacketSize;
    private final int topicAliasMaximum;
    private final Map<String, Integer> aliases;

    private OutboundPublishes(BrokerMetrics metrics, boolean mqtt5, long maximumPacketSize, int topicAliasMaximum) {
        this.metrics = metrics;
        this.mqtt5 = mqtt5;
        this.maximumPacketSize = maximumPacketSize;
        this.topicAliasMaximum = topicAliasMaximum;
        this.aliases = topicAliasMaximum > 0 ? new HashMap<>() : null;
    }

    /** MQTT 3.1 / 3.1.1: no properties, no size limit. */
    static OutboundPublishes plain(BrokerMetrics metrics) {
        return new OutboundPublishes(metrics, false, Long.MAX_VALUE, 0);
    }

    /** MQTT 5 with the client's limits; {@code topicAliasMaximum} 0 sends no aliases. */
    static OutboundPublishes mqtt5(BrokerMetrics metrics, long maximumPacketSize, int topicAliasMaximum) {
        return new OutboundPublishes(metrics, true, maximumPacketSize, topicAliasMaximum);
    }

    /** The PUBLISH for {@code delivery}, or null when it would exceed the client's Maximum Packet Size. */
    MqttPublishMessage encode(Delivery delivery, long nowMillis) {
        Message message = delivery.message();
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        String topic = message.topic().value();
        if (mqtt5) {
            props = properties(delivery, message, nowMillis);
            if (aliases != null && !delivery.duplicate()) {
                topic = alias(topic, props);
            }
        }
        if (maximumPacketSize != Long.MAX_VALUE
                && estimateSize(topic, message.payload().length, props) > maximumPacketSize) {
            return null;
        }
        int packetId = delivery.qos() > 0 ? delivery.packetId() : 0;
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, delivery.duplicate(),
                MqttQoS.valueOf(delivery.qos()), delivery.retain(), 0);
        metrics.messageSent(delivery.qos(), message.payload().length);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId, props),
                Unpooled.wrappedBuffer(message.payload()));
    }

    private static MqttProperties properties(Delivery delivery, Message message, long nowMillis) {
        MqttProperties props = new MqttProperties();
        PublishProperties p = message.properties();
        if (p.payloadFormatIndicator() != null) {
            Props.putInt(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        }
        long remaining = message.remainingExpirySeconds(nowMillis);
        if (remaining >= 0) {
            Props.putInt(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, (int) remaining);
        }
        if (p.contentType() != null) {
            Props.putString(props, MqttPropertyType.CONTENT_TYPE, p.contentType());
        }
        if (p.responseTopic() != null) {
            Props.putString(props, MqttPropertyType.RESPONSE_TOPIC, p.responseTopic());
        }
        if (p.correlationData() != null) {
            Props.putBinary(props, MqttPropertyType.CORRELATION_DATA, p.correlationData());
        }
        Props.putUserProperties(props, p.userProperties());
        for (int id : delivery.subscriptionIds()) {
            Props.putInt(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER, id);
        }
        return props;
    }

    /** Returns the topic to send: empty when an alias already names it, the topic (with a new alias) otherwise. */
    private String alias(String topic, MqttProperties props) {
        Integer alias = aliases.get(topic);
        if (alias != null) {
            Props.putInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
            return "";
        }
        if (aliases.size() < topicAliasMaximum) {
            alias = aliases.size() + 1;
            aliases.put(topic, alias);
            Props.putInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
        }
        return topic;
    }

    /** An upper bound of the encoded PUBLISH size: fixed header + topic + packet id + properties + payload. */
    private static long estimateSize(String topic, int payloadLength, MqttProperties props) {
        long size = 5 + 2 + (long) topic.length() * 3 + 2 + payloadLength;
        if (props != MqttProperties.NO_PROPERTIES) {
            size += 4;
            for (MqttProperties.MqttProperty<?> p : props.listAll()) {
                Object v = p.value();
                if (v instanceof String s) {
                    size += 3 + s.length() * 3L;
                } else if (v instanceof byte[] b) {
                    size += 3 + b.length;
                } else if (v instanceof MqttProperties.StringPair pair) {
                    size += 5 + (pair.key.length() + pair.value.length()) * 3L;
                } else {
                    size += 5;
                }
            }
        }
        return size;
    }
}
