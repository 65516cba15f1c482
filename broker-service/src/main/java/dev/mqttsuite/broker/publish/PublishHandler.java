package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.reason.Mqtt3Mapping;
import dev.mqttsuite.reason.PubackReasonCode;
import dev.mqttsuite.text.Utf8;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicName;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.jboss.logging.Logger;

/**
 * Inbound PUBLISH (MQTT 5.0 section 3.3): topic alias resolution, limits, authorization, QoS 2 duplicate detection,
 * retained storage, routing and the acknowledgement.
 */
public final class PublishHandler implements PacketHandler<MqttPublishMessage> {

    private static final Logger LOG = Logger.getLogger(PublishHandler.class);

    private final BrokerCore broker;

    public PublishHandler(BrokerCore broker) {
        this.broker = broker;
    }

    @Override
    public void handle(MqttConnection connection, MqttPublishMessage publish) {
        BrokerConfig.Limits limits = broker.config().limits();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        boolean retain = publish.fixedHeader().isRetain();
        boolean mqtt5 = connection.isMqtt5();
        MqttProperties props = publish.variableHeader().properties();

        if (qos > limits.maxQos()) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.QOS_NOT_SUPPORTED,
                    "QoS " + qos + " above the maximum " + limits.maxQos()); // [MQTT-3.2.2-11]
            return;
        }
        if (retain && !limits.retainAvailable()) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.RETAIN_NOT_SUPPORTED,
                    "retain is not available"); // [MQTT-3.2.2-14]
            return;
        }
        if (qos > 0 && connection.session().inboundQos2Pending() >= limits.receiveMaximum()) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + limits.receiveMaximum() + " unacknowledged QoS 1/2 PUBLISH"); // [MQTT-3.3.4-9]
            return;
        }

        TopicName topic = resolveTopic(connection, publish.variableHeader().topicName(), props, limits);
        if (topic == null) {
            return; // disconnected
        }

        ByteBuf content = publish.payload();
        byte[] payload = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), payload);
        broker.metrics().messageReceived(qos, payload.length);

        if (qos == 2 && !connection.session().startInboundQos2(packetId)) {
            // A resent QoS 2 PUBLISH we already accepted: acknowledge again, deliver nothing twice [MQTT-4.3.3-10].
            connection.sendAck(MqttMessageType.PUBREC, packetId, (byte) 0);
            return;
        }

        Integer payloadFormat = mqtt5 ? Props.integer(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR) : null;
        if (payloadFormat != null && payloadFormat == 1 && !Utf8.isWellFormed(payload)) {
            reject(connection, qos, packetId, PubackReasonCode.PAYLOAD_FORMAT_INVALID); // [MQTT-3.3.2-? 0x99]
            return;
        }
        if (!connection.effectivePermissions().mayPublish(topic, qos, retain)) {
            reject(connection, qos, packetId, PubackReasonCode.NOT_AUTHORIZED);
            return;
        }

        long now = System.currentTimeMillis();
        long expiresAt = 0;
        PublishProperties forwarded = PublishProperties.NONE;
        if (mqtt5) {
            Long expiry = Props.unsigned(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
            if (expiry != null) {
                expiresAt = now + expiry * 1000;
            }
            forwarded = new PublishProperties(payloadFormat, Props.string(props, MqttPropertyType.CONTENT_TYPE),
                    Props.string(props, MqttPropertyType.RESPONSE_TOPIC),
                    Props.binary(props, MqttPropertyType.CORRELATION_DATA), Props.userProperties(props));
        }
        Message message = new Message(topic, payload, qos, retain, forwarded, connection.clientId(), expiresAt);
        int[] routed = new int[1];
        var stored = broker.publisher().publish(message, connection, routed);
        if (qos == 0) {
            return;
        }
        PubackReasonCode success = routed[0] == 0 && mqtt5 ? PubackReasonCode.NO_MATCHING_SUBSCRIBERS
                : PubackReasonCode.SUCCESS;
        var future = stored.toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally()) {
            acknowledge(connection, qos, packetId, success);
            return;
        }
        stored.whenComplete((ok, failure) -> connection.channelContext().executor().execute(() -> {
            if (!connection.isActive()) {
                return;
            }
            if (failure != null) {
                LOG.warnf("Retained store did not accept %s from %s: %s", topic, connection.clientId(),
                        failure.toString());
                if (qos == 2) {
                    connection.session().releaseInboundQos2(packetId);
                }
                reject(connection, qos, packetId, PubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            } else {
                acknowledge(connection, qos, packetId, success);
            }
            connection.flushIfNeeded();
        }));
    }

    private TopicName resolveTopic(MqttConnection connection, String topicName, MqttProperties props,
            BrokerConfig.Limits limits) {
        Integer alias = connection.isMqtt5() ? Props.integer(props, MqttPropertyType.TOPIC_ALIAS) : null;
        if (alias != null && (alias == 0 || alias > limits.topicAliasMaximum())) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.TOPIC_ALIAS_INVALID,
                    "topic alias " + alias + " outside 1.." + limits.topicAliasMaximum()); // [MQTT-3.3.2-8, -9]
            return null;
        }
        if (topicName == null || topicName.isEmpty()) {
            TopicName known = alias == null ? null : connection.inboundAliases().get(alias);
            if (known == null) {
                broker.disconnector().disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                        alias == null ? "empty topic name without a topic alias" : "unknown topic alias " + alias);
                return null;
            }
            return known;
        }
        TopicName topic;
        try {
            topic = TopicName.of(topicName);
        } catch (InvalidTopicException e) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.TOPIC_NAME_INVALID, e.getMessage());
            return null;
        }
        if (topic.depth() > limits.maxTopicLevels()) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.TOPIC_NAME_INVALID,
                    "topic has " + topic.depth() + " levels, maximum broker.limits.max-topic-levels="
                            + limits.maxTopicLevels());
            return null;
        }
        if (alias != null) {
            connection.inboundAliases().put(alias, topic);
        }
        return topic;
    }

    private void acknowledge(MqttConnection connection, int qos, int packetId, PubackReasonCode code) {
        connection.sendAck(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, code.code());
    }

    /** A refused PUBLISH: MQTT 5 gets the reason code; 3.1.1 gets what {@link Mqtt3Mapping} says. */
    private void reject(MqttConnection connection, int qos, int packetId, PubackReasonCode code) {
        if (qos == 0) {
            return;
        }
        if (connection.isMqtt5()) {
            if (qos == 2) {
                connection.session().releaseInboundQos2(packetId); // an error PUBREC ends the exchange
            }
            acknowledge(connection, qos, packetId, code);
            return;
        }
        switch (Mqtt3Mapping.publishOutcome(code)) {
            case ACKNOWLEDGE -> acknowledge(connection, qos, packetId, PubackReasonCode.SUCCESS);
            case WITHHOLD_ACKNOWLEDGEMENT -> {
                if (qos == 2) {
                    connection.session().releaseInboundQos2(packetId);
                }
            }
            case CLOSE_CONNECTION -> broker.disconnector().disconnect(connection,
                    DisconnectReasonCode.UNSPECIFIED_ERROR, code.toString());
        }
    }
}
