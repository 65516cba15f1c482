package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.auth.AuthRequest;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.session.SessionRegistry;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicName;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * CONNECT (MQTT 5.0 section 3.1, 3.1.1 section 3.1): validates, authenticates asynchronously, creates or resumes the
 * session, takes over an existing connection with the same client id, and answers CONNACK with the broker's limits.
 */
public final class ConnectHandler implements PacketHandler<MqttConnectMessage> {

    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);
    private static final long MAX_UNSIGNED_INT = 0xFFFFFFFFL;

    private final BrokerCore broker;

    public ConnectHandler(BrokerCore broker) {
        this.broker = broker;
    }

    @Override
    public void handle(MqttConnection connection, MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        connection.version(MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version()));
        BrokerConfig config = broker.config();
        MqttProperties props = header.properties();
        boolean mqtt5 = connection.isMqtt5();

        // Properties whose value 0 is a protocol error [MQTT-3.1.2-? receive maximum / maximum packet size].
        int receiveMaximum = 65535;
        long maximumPacketSize = Long.MAX_VALUE;
        int topicAliasMaximum = 0;
        long sessionExpiry = 0;
        boolean problemInformation = true;
        String authMethod = null;
        byte[] authData = null;
        if (mqtt5) {
            Integer rm = Props.integer(props, MqttPropertyType.RECEIVE_MAXIMUM);
            if (rm != null && rm == 0) {
                ConnackSender.refuse(connection, ConnackReasonCode.PROTOCOL_ERROR, "Receive Maximum 0");
                return;
            }
            receiveMaximum = rm == null ? 65535 : rm;
            Long mps = Props.unsigned(props, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            if (mps != null && mps == 0) {
                ConnackSender.refuse(connection, ConnackReasonCode.PROTOCOL_ERROR, "Maximum Packet Size 0");
                return;
            }
            maximumPacketSize = mps == null ? Long.MAX_VALUE : mps;
            topicAliasMaximum = Props.integer(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
            Long se = Props.unsigned(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            sessionExpiry = se == null ? 0 : se;
            problemInformation = Props.integer(props, MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) != 0;
            authMethod = Props.string(props, MqttPropertyType.AUTHENTICATION_METHOD);
            authData = Props.binary(props, MqttPropertyType.AUTHENTICATION_DATA);
            if (authMethod == null && authData != null) {
                ConnackSender.refuse(connection, ConnackReasonCode.PROTOCOL_ERROR,
                        "Authentication Data without Authentication Method"); // [MQTT-3.1.2-? 3.1.2.11.10]
                return;
            }
        } else {
            // 3.1.1 Clean Session 0 means a session that never expires; 1 means it ends with the connection.
            sessionExpiry = header.isCleanSession() ? 0 : MAX_UNSIGNED_INT;
        }
        long grantedExpiry = Math.min(sessionExpiry, config.session().maxExpiryInterval());
        if (sessionExpiry == MAX_UNSIGNED_INT && config.session().maxExpiryInterval() >= MAX_UNSIGNED_INT) {
            grantedExpiry = MAX_UNSIGNED_INT;
        }

        // Client identifier [MQTT-3.1.3-5..8].
        String clientId = payload.clientIdentifier();
        boolean assigned = false;
        if (clientId == null || clientId.isEmpty()) {
            if (!mqtt5 && !header.isCleanSession()) {
                ConnackSender.refuse(connection, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "an empty client id needs Clean Session"); // [MQTT-3.1.3-8]
                return;
            }
            clientId = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        if (clientId.length() > config.limits().maxClientIdLength() || clientId.indexOf('\u0000') >= 0) {
            ConnackSender.refuse(connection, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client id longer than broker.limits.max-client-id-length or containing U+0000");
            return;
        }

        // Will [MQTT-3.1.2-8..18].
        Will will = null;
        if (header.isWillFlag()) {
            int willQos = header.willQos();
            if (willQos > config.limits().maxQos()) {
                ConnackSender.refuse(connection, ConnackReasonCode.QOS_NOT_SUPPORTED,
                        "will QoS above the broker's maximum"); // [MQTT-3.2.2-12]
                return;
            }
            if (header.isWillRetain() && !config.limits().retainAvailable()) {
                ConnackSender.refuse(connection, ConnackReasonCode.RETAIN_NOT_SUPPORTED, "retain not available");
                return;
            }
            TopicName willTopic;
            try {
                willTopic = TopicName.of(payload.willTopic());
            } catch (InvalidTopicException e) {
                ConnackSender.refuse(connection, ConnackReasonCode.TOPIC_NAME_INVALID, e.getMessage());
                return;
            }
            MqttProperties wp = payload.willProperties();
            Long expiry = mqtt5 ? Props.unsigned(wp, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL) : null;
            PublishProperties willProps = mqtt5 ? new PublishProperties(
                    Props.integer(wp, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR),
                    Props.string(wp, MqttPropertyType.CONTENT_TYPE),
                    Props.string(wp, MqttPropertyType.RESPONSE_TOPIC),
                    Props.binary(wp, MqttPropertyType.CORRELATION_DATA),
                    Props.userProperties(wp)) : PublishProperties.NONE;
            long delay = mqtt5 ? orZero(Props.unsigned(wp, MqttPropertyType.WILL_DELAY_INTERVAL)) : 0;
            byte[] willPayload = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
            Message message = new Message(willTopic, willPayload, willQos, header.isWillRetain(), willProps,
                    clientId, 0);
            will = new Will(message, delay, expiry == null ? -1 : expiry);
        }

        int keepAlive = Math.min(header.keepAliveTimeSeconds(), config.mqtt().maxKeepAlive());
        Integer serverKeepAlive = null;
        if (config.mqtt().serverKeepAlive().isPresent() && mqtt5) {
            keepAlive = config.mqtt().serverKeepAlive().get();
            serverKeepAlive = keepAlive;
        } else if (keepAlive != header.keepAliveTimeSeconds() && mqtt5) {
            serverKeepAlive = keepAlive;
        }

        connection.negotiated(clientId, receiveMaximum, maximumPacketSize, topicAliasMaximum,
                problemInformation, authMethod);
        connection.sessionExpiryInterval(grantedExpiry);
        connection.will(will);
        connection.state(ConnectionState.AUTHENTICATING);

        AuthRequest request = new AuthRequest(clientId, payload.userName(), payload.passwordInBytes(), authMethod,
                authData, connection.remoteAddress(), connection.certificateIdentities(),
                header.version(), false);
        boolean clientIdAssigned = assigned;
        long expiryToGrant = grantedExpiry;
        Integer keepAliveToAnnounce = serverKeepAlive;
        int keepAliveToUse = keepAlive;
        long requestedExpiry = sessionExpiry;
        broker.authenticator().authenticate(request).whenComplete((result, failure) ->
                connection.channelContext().executor().execute(() -> {
                    if (connection.state() != ConnectionState.AUTHENTICATING) {
                        return; // closed meanwhile
                    }
                    if (failure != null) {
                        LOG.warnf("Authentication backend failed for client %s: %s", request.clientId(),
                                failure.toString());
                        ConnackSender.refuse(connection, ConnackReasonCode.SERVER_UNAVAILABLE,
                                "authentication service unavailable"); // fail closed
                        return;
                    }
                    complete(connection, header, result, clientIdAssigned, expiryToGrant, requestedExpiry,
                            keepAliveToAnnounce, keepAliveToUse);
                    connection.flushIfNeeded();
                }));
    }

    private void complete(MqttConnection connection, MqttConnectVariableHeader header, AuthResult result,
            boolean clientIdAssigned, long grantedExpiry, long requestedExpiry, Integer serverKeepAlive,
            int keepAlive) {
        switch (result) {
            case AuthResult.Denied denied -> {
                LOG.debugf("CONNECT of %s refused: %s (%s)", connection.clientId(), denied.code(), denied.reason());
                ConnackSender.refuse(connection, denied.code(), denied.reason());
            }
            case AuthResult.Continue cont -> {
                connection.pendingConnect(allowed -> accept(connection, header, allowed, clientIdAssigned,
                        grantedExpiry, requestedExpiry, serverKeepAlive, keepAlive, null));
                broker.authExchange().challenge(connection, cont.authenticationData());
            }
            case AuthResult.Allowed allowed -> accept(connection, header, allowed, clientIdAssigned, grantedExpiry,
                    requestedExpiry, serverKeepAlive, keepAlive, null);
        }
    }

    /** Finishes a successful CONNECT: session, CONNACK, keep-alive, replay of held packets. */
    public void accept(MqttConnection connection, MqttConnectVariableHeader header, AuthResult.Allowed allowed,
            boolean clientIdAssigned, long grantedExpiry, long requestedExpiry, Integer serverKeepAlive, int keepAlive,
            byte[] finalAuthData) {
        connection.authenticated(allowed);
        boolean cleanStart = header.isCleanSession();
        SessionRegistry.Attach attach = broker.sessions().attach(connection.clientId(), cleanStart, connection,
                grantedExpiry);
        connection.attachSession(attach.session());
        if (attach.previousConnection() instanceof MqttConnection previous && previous != connection) {
            broker.disconnector().disconnect(previous, DisconnectReasonCode.SESSION_TAKEN_OVER,
                    "another connection used the same client id"); // [MQTT-3.1.4-3]
        }
        // A delayed will is dropped if the session resumes, published now if the old session ended [MQTT-3.1.3-9].
        broker.wills().onReconnect(connection.clientId(), attach.sessionPresent());

        MqttProperties props = new MqttProperties();
        if (connection.isMqtt5()) {
            BrokerConfig.Limits limits = broker.config().limits();
            if (grantedExpiry != requestedExpiry) {
                Props.putInt(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int) grantedExpiry);
            }
            Props.putInt(props, MqttPropertyType.RECEIVE_MAXIMUM, limits.receiveMaximum());
            if (limits.maxQos() < 2) {
                Props.putInt(props, MqttPropertyType.MAXIMUM_QOS, limits.maxQos());
            }
            if (!limits.retainAvailable()) {
                Props.putInt(props, MqttPropertyType.RETAIN_AVAILABLE, 0);
            }
            Props.putInt(props, MqttPropertyType.MAXIMUM_PACKET_SIZE, limits.maxPacketSize());
            Props.putInt(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, limits.topicAliasMaximum());
            Props.putInt(props, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
            Props.putInt(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
            Props.putInt(props, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
            if (serverKeepAlive != null) {
                Props.putInt(props, MqttPropertyType.SERVER_KEEP_ALIVE, serverKeepAlive);
            }
            if (clientIdAssigned) {
                Props.putString(props, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER, connection.clientId());
            }
            if (connection.authenticationMethod() != null) {
                Props.putString(props, MqttPropertyType.AUTHENTICATION_METHOD, connection.authenticationMethod());
                if (finalAuthData != null) {
                    Props.putBinary(props, MqttPropertyType.AUTHENTICATION_DATA, finalAuthData);
                }
            }
        }
        ConnackSender.accept(connection, attach.sessionPresent(), props);
        connection.state(ConnectionState.CONNECTED);
        broker.metrics().connected();

        var pipeline = connection.channelContext().pipeline();
        if (keepAlive > 0) {
            long timeoutMillis = keepAlive * 1500L; // [MQTT-3.1.2-22] one and a half times the keep alive
            pipeline.replace("idle", "idle", new IdleStateHandler(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
        } else if (pipeline.get("idle") != null) {
            pipeline.remove("idle");
        }
        if (attach.sessionPresent()) {
            attach.session().resume(connection);
        }
        connection.replayHeld();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
