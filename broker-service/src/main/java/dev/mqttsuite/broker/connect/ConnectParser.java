package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicName;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.UUID;

/**
 * Validates a decoded CONNECT against the specification and the broker's limits and turns it into a
 * {@link ConnectRequest}, or into the CONNACK reason code that refuses it. Pure: no I/O, no connection state.
 */
public final class ConnectParser {

    /** Either a valid request or a refusal. */
    public sealed interface Result {
        record Valid(ConnectRequest request) implements Result {
        }

        record Refused(ConnackReasonCode code, String reason) implements Result {
        }
    }

    private final BrokerConfig.Limits limits;
    private final BrokerConfig.Mqtt mqtt;
    private final SessionExpiry expiry;

    public ConnectParser(BrokerConfig.Limits limits, BrokerConfig.Mqtt mqtt, SessionExpiry expiry) {
        this.limits = limits;
        this.mqtt = mqtt;
        this.expiry = expiry;
    }

    public Result parse(MqttConnectMessage connect, boolean mqtt5) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        MqttProperties props = header.properties();

        int receiveMaximum = 65535;
        long maximumPacketSize = Long.MAX_VALUE;
        int topicAliasMaximum = 0;
        boolean problemInformation = true;
        String authMethod = null;
        byte[] authData = null;
        Long expiryProperty = null;
        if (mqtt5) {
            Integer rm = Props.integer(props, MqttPropertyType.RECEIVE_MAXIMUM);
            if (rm != null && rm == 0) {
                return refuse(ConnackReasonCode.PROTOCOL_ERROR, "Receive Maximum 0"); // [MQTT-3.1.2-? 3.1.2.11.3]
            }
            receiveMaximum = rm == null ? 65535 : rm;
            Long mps = Props.unsigned(props, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            if (mps != null && mps == 0) {
                return refuse(ConnackReasonCode.PROTOCOL_ERROR, "Maximum Packet Size 0"); // 3.1.2.11.4
            }
            maximumPacketSize = mps == null ? Long.MAX_VALUE : mps;
            topicAliasMaximum = Props.integer(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
            expiryProperty = Props.unsigned(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            problemInformation = Props.integer(props, MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) != 0;
            authMethod = Props.string(props, MqttPropertyType.AUTHENTICATION_METHOD);
            authData = Props.binary(props, MqttPropertyType.AUTHENTICATION_DATA);
            if (authMethod == null && authData != null) {
                return refuse(ConnackReasonCode.PROTOCOL_ERROR,
                        "Authentication Data without Authentication Method"); // 3.1.2.11.10
            }
        }
        long requestedExpiry = SessionExpiry.requestedAtConnect(mqtt5, expiryProperty, header.isCleanSession());
        long grantedExpiry = expiry.grant(requestedExpiry);

        // Client identifier [MQTT-3.1.3-5..8].
        String clientId = payload.clientIdentifier();
        boolean assigned = false;
        if (clientId == null || clientId.isEmpty()) {
            if (!mqtt5 && !header.isCleanSession()) {
                return refuse(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "an empty client id needs Clean Session"); // [MQTT-3.1.3-8]
            }
            clientId = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        if (clientId.length() > limits.maxClientIdLength() || clientId.indexOf('\u0000') >= 0) {
            return refuse(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client id longer than broker.limits.max-client-id-length or containing U+0000");
        }

        Will will = null;
        if (header.isWillFlag()) {
            Object parsed = will(header, payload, mqtt5, clientId);
            if (parsed instanceof Result.Refused refused) {
                return refused;
            }
            will = (Will) parsed;
        }

        int keepAlive = Math.min(header.keepAliveTimeSeconds(), mqtt.maxKeepAlive());
        Integer serverKeepAlive = null;
        if (mqtt.serverKeepAlive().isPresent() && mqtt5) {
            keepAlive = mqtt.serverKeepAlive().get();
            serverKeepAlive = keepAlive;
        } else if (keepAlive != header.keepAliveTimeSeconds() && mqtt5) {
            serverKeepAlive = keepAlive;
        }
        return new Result.Valid(new ConnectRequest(clientId, assigned, header.isCleanSession(), requestedExpiry,
                grantedExpiry, keepAlive, serverKeepAlive, receiveMaximum, maximumPacketSize, topicAliasMaximum,
                problemInformation, authMethod, authData, will));
    }

    /** The Will [MQTT-3.1.2-8..18], or a refusal. */
    private Object will(MqttConnectVariableHeader header, MqttConnectPayload payload, boolean mqtt5,
            String clientId) {
        int willQos = header.willQos();
        if (willQos > limits.maxQos()) {
            return refuse(ConnackReasonCode.QOS_NOT_SUPPORTED, "will QoS above the broker's maximum"); // [MQTT-3.2.2-12]
        }
        if (header.isWillRetain() && !limits.retainAvailable()) {
            return refuse(ConnackReasonCode.RETAIN_NOT_SUPPORTED, "retain not available"); // [MQTT-3.2.2-13]
        }
        TopicName willTopic;
        try {
            willTopic = TopicName.of(payload.willTopic());
        } catch (InvalidTopicException e) {
            return refuse(ConnackReasonCode.TOPIC_NAME_INVALID, e.getMessage());
        }
        MqttProperties wp = payload.willProperties();
        Long expirySeconds = mqtt5 ? Props.unsigned(wp, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL) : null;
        PublishProperties willProps = mqtt5 ? new PublishProperties(
                Props.integer(wp, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR),
                Props.string(wp, MqttPropertyType.CONTENT_TYPE),
                Props.string(wp, MqttPropertyType.RESPONSE_TOPIC),
                Props.binary(wp, MqttPropertyType.CORRELATION_DATA),
                Props.userProperties(wp)) : PublishProperties.NONE;
        Long delay = mqtt5 ? Props.unsigned(wp, MqttPropertyType.WILL_DELAY_INTERVAL) : null;
        byte[] willPayload = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
        Message message = new Message(willTopic, willPayload, willQos, header.isWillRetain(), willProps, clientId, 0);
        return new Will(message, delay == null ? 0 : delay, expirySeconds == null ? -1 : expirySeconds);
    }

    private static Result.Refused refuse(ConnackReasonCode code, String reason) {
        return new Result.Refused(code, reason);
    }
}
