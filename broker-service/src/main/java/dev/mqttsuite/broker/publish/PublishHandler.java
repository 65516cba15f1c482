package dev.mqttsuite.broker.publish;

import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.quota.QuotaMetrics;
import dev.mqttsuite.broker.routing.MessagePublisher;
import dev.mqttsuite.broker.session.SessionJournal;
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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Inbound PUBLISH (MQTT 5.0 section 3.3): limits, the broker's Receive Maximum, topic alias resolution, authorization,
 * QoS 2 duplicate detection, then publishing; the acknowledgement goes out once the retained store, the session
 * journal and other nodes accepted the message ({@link MessagePublisher.Outcome}).
 */
public final class PublishHandler implements PacketHandler<MqttPublishMessage> {

    private static final Logger LOG = Logger.getLogger(PublishHandler.class);

    private final MessagePublisher publisher;
    private final Disconnector disconnector;
    private final BrokerMetrics metrics;
    private final BrokerConfig.Limits limits;
    private final boolean disconnectQos0OverRate;

    public PublishHandler(MessagePublisher publisher, Disconnector disconnector, BrokerMetrics metrics,
            BrokerConfig.Limits limits) {
        this(publisher, disconnector, metrics, limits, false);
    }

    /** @param disconnectQos0OverRate MQTT 5 QoS 0 over the rate: DISCONNECT 0x96 (true) or dropped (false) */
    public PublishHandler(MessagePublisher publisher, Disconnector disconnector, BrokerMetrics metrics,
            BrokerConfig.Limits limits, boolean disconnectQos0OverRate) {
        this.publisher = publisher;
        this.disconnector = disconnector;
        this.metrics = metrics;
        this.limits = limits;
        this.disconnectQos0OverRate = disconnectQos0OverRate;
    }

    @Override
    public void handle(MqttConnection connection, MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        boolean retain = publish.fixedHeader().isRetain();
        boolean mqtt5 = connection.isMqtt5();
        MqttProperties props = publish.variableHeader().properties();

        if (qos > limits.maxQos()) {
            disconnector.disconnect(connection, DisconnectReasonCode.QOS_NOT_SUPPORTED,
                    "QoS " + qos + " above the maximum " + limits.maxQos()); // [MQTT-3.2.2-11]
            return;
        }
        if (retain && !limits.retainAvailable()) {
            disconnector.disconnect(connection, DisconnectReasonCode.RETAIN_NOT_SUPPORTED,
                    "retain is not available"); // [MQTT-3.2.2-14]
            return;
        }
        if (qos > 0 && !connection.inboundWindow().tryAcquire()) {
            disconnector.disconnect(connection, DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + limits.receiveMaximum() + " unacknowledged QoS 1/2 PUBLISH"); // [MQTT-3.3.4-9]
            return;
        }

        TopicName topic = resolveTopic(connection, publish.variableHeader().topicName(), props);
        if (topic == null) {
            return; // disconnected
        }

        ByteBuf content = publish.payload();
        byte[] payload = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), payload);
        metrics.messageReceived(qos, payload.length);

        if (qos == 2 && !connection.session().startInboundQos2(packetId)) {
            // A resent QoS 2 PUBLISH we already accepted: acknowledge again, deliver nothing twice [MQTT-4.3.3-10].
            connection.inboundWindow().release(); // the first copy holds the slot until PUBCOMP
            connection.sendAck(MqttMessageType.PUBREC, packetId, (byte) 0);
            return;
        }

        if (!withinRate(connection, qos, packetId, payload.length)) {
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
        // QoS 2: the packet id is journaled after the deliveries, inside the same acknowledgement barrier
        MessagePublisher.Outcome outcome = publisher.publish(message, connection,
                qos == 2 ? () -> connection.session().journalInboundQos2(packetId) : null);
        if (qos == 0) {
            return;
        }
        if (outcome.refusal() != null) {
            // not acknowledged as if it were kept: no queue or the session journal had room (MQTT 5.0 section 3.4.2.1)
            reject(connection, qos, packetId, outcome.refusal());
            return;
        }
        PubackReasonCode success = outcome.routed() == 0 && mqtt5 ? PubackReasonCode.NO_MATCHING_SUBSCRIBERS
                : PubackReasonCode.SUCCESS;
        var future = outcome.accepted().toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally()) {
            acknowledge(connection, qos, packetId, success);
            return;
        }
        future.whenComplete((ok, failure) -> connection.transport().execute(() -> {
            if (!connection.isActive()) {
                return;
            }
            if (failure != null) {
                PubackReasonCode code = refusalOf(failure);
                if (code == PubackReasonCode.QUOTA_EXCEEDED && retain) {
                    LOG.debugf("Retained message on %s from %s refused by the store: %s", topic, connection.clientId(),
                            failure.toString());
                } else if (code == PubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR) {
                    LOG.warnf("Message on %s from %s not accepted (retained store or cluster): %s", topic,
                            connection.clientId(), failure.toString());
                } // a session journal failure is logged once by the journal, not per message
                if (qos == 2) {
                    connection.session().releaseInboundQos2(packetId);
                }
                reject(connection, qos, packetId, code);
            } else {
                acknowledge(connection, qos, packetId, success);
            }
        }));
    }

    /**
     * The connection's and its user's rate limits (broker.quota.*, ADR 0013). MQTT 5: over the rate, QoS 1/2 gets
     * PUBACK/PUBREC 0x97 Quota exceeded (0x96 is a DISCONNECT-only code, MQTT 5.0 section 3.4.2.1), QoS 0 is dropped
     * and counted or, if configured, the connection gets DISCONNECT 0x96 Message rate too high. MQTT 3.1/3.1.1 has no
     * code to refuse with: the PUBLISH is taken and reading from the socket pauses until the buckets are out of debt.
     */
    private boolean withinRate(MqttConnection connection, int qos, int packetId, int bytes) {
        if (!connection.isMqtt5()) {
            long pauseNanos = connection.quota().charge(bytes);
            if (pauseNanos > 0 && !connection.transport().readingPaused()) {
                connection.transport().pauseReading(); // a timer resumes it: no thread waits
                connection.transport().schedule(connection.transport()::resumeReading, pauseNanos,
                        TimeUnit.NANOSECONDS);
            }
            return true;
        }
        QuotaMetrics.Kind over = connection.quota().tryPublish(bytes);
        if (over == null) {
            return true;
        }
        if (qos == 0 && disconnectQos0OverRate) {
            disconnector.disconnect(connection, DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH,
                    "over broker.quota " + over.name().toLowerCase());
        } else {
            reject(connection, qos, packetId, PubackReasonCode.QUOTA_EXCEEDED); // QoS 0: dropped
        }
        return false;
    }

    /**
     * 0x97 when a retained-store limit refused the message, 0x97/0x80 when the session journal could not keep it, 0x83
     * for other retained store or cluster failures.
     */
    private static PubackReasonCode refusalOf(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RetainedStore.QuotaExceeded) {
            return PubackReasonCode.QUOTA_EXCEEDED; // a retained-store limit; the store kept what it had
        }
        if (cause instanceof SessionJournal.NotDurable notDurable) {
            return notDurable.refusal() == SessionJournal.Refusal.QUOTA_EXCEEDED ? PubackReasonCode.QUOTA_EXCEEDED
                    : PubackReasonCode.UNSPECIFIED_ERROR;
        }
        return PubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
    }

    private TopicName resolveTopic(MqttConnection connection, String topicName, MqttProperties props) {
        Integer alias = connection.isMqtt5() ? Props.integer(props, MqttPropertyType.TOPIC_ALIAS) : null;
        if (alias != null && (alias == 0 || alias > limits.topicAliasMaximum())) {
            disconnector.disconnect(connection, DisconnectReasonCode.TOPIC_ALIAS_INVALID,
                    "topic alias " + alias + " outside 1.." + limits.topicAliasMaximum()); // [MQTT-3.3.2-8, -9]
            return null;
        }
        if (topicName == null || topicName.isEmpty()) {
            TopicName known = alias == null ? null : connection.inboundAliases().get(alias);
            if (known == null) {
                disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                        alias == null ? "empty topic name without a topic alias" : "unknown topic alias " + alias);
                return null;
            }
            return known;
        }
        TopicName topic;
        try {
            topic = TopicName.of(topicName);
        } catch (InvalidTopicException e) {
            disconnector.disconnect(connection, DisconnectReasonCode.TOPIC_NAME_INVALID, e.getMessage());
            return null;
        }
        if (topic.depth() > limits.maxTopicLevels()) {
            disconnector.disconnect(connection, DisconnectReasonCode.TOPIC_NAME_INVALID,
                    "topic has " + topic.depth() + " levels, maximum broker.limits.max-topic-levels="
                            + limits.maxTopicLevels());
            return null;
        }
        if (alias != null) {
            connection.inboundAliases().put(alias, topic);
        }
        return topic;
    }

    /** PUBACK frees the Receive Maximum slot; PUBREC keeps it until PUBCOMP unless it carries an error. */
    private void acknowledge(MqttConnection connection, int qos, int packetId, PubackReasonCode code) {
        if (qos == 1 || code.isError()) {
            connection.inboundWindow().release();
        }
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
                connection.inboundWindow().release();
                if (qos == 2) {
                    connection.session().releaseInboundQos2(packetId);
                }
            }
            case CLOSE_CONNECTION -> disconnector.disconnect(connection,
                    DisconnectReasonCode.UNSPECIFIED_ERROR, code.toString());
        }
    }
}
