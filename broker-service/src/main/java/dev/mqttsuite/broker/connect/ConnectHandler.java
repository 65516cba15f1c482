package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.auth.AuthRequest;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.connection.Admission;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.quota.ConnectionQuota;
import dev.mqttsuite.broker.quota.Quotas;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.broker.will.WillService;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jboss.logging.Logger;

/**
 * CONNECT (MQTT 5.0 section 3.1, 3.1.1 section 3.1): validates ({@link ConnectParser}), authenticates asynchronously,
 * claims the session through the {@link SessionDirectory} (taking over an existing connection with the same client
 * id), and answers CONNACK with the broker's limits ({@link ConnackSender}).
 */
public final class ConnectHandler implements PacketHandler<MqttConnectMessage> {

    private static final Logger LOG = Logger.getLogger(ConnectHandler.class);

    private final ConnectParser parser;
    private final Authenticator authenticator;
    private final AuthExchange authExchange;
    private final SessionDirectory sessions;
    private final WillService wills;
    private final Admission admission;
    private final Disconnector disconnector;
    private final BrokerMetrics metrics;
    private final BrokerConfig.Limits limits;
    private final Quotas quotas;

    public ConnectHandler(ConnectParser parser, Authenticator authenticator, AuthExchange authExchange,
            SessionDirectory sessions, WillService wills, Disconnector disconnector, BrokerMetrics metrics,
            BrokerConfig.Limits limits, Admission admission, Quotas quotas) {
        this.parser = parser;
        this.authenticator = authenticator;
        this.authExchange = authExchange;
        this.sessions = sessions;
        this.wills = wills;
        this.disconnector = disconnector;
        this.metrics = metrics;
        this.limits = limits;
        this.admission = admission;
        this.quotas = quotas;
    }

    @Override
    public void handle(MqttConnection connection, MqttConnectMessage connect) {
        var header = connect.variableHeader();
        connection.version(MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version()));
        ConnectRequest request;
        switch (parser.parse(connect, connection.isMqtt5())) {
            case ConnectParser.Result.Refused refused -> {
                ConnackSender.refuse(connection, refused.code(), refused.reason());
                return;
            }
            case ConnectParser.Result.Valid valid -> request = valid.request();
        }
        connection.negotiated(request.clientId(), request.receiveMaximum(), request.maximumPacketSize(),
                request.topicAliasMaximum(), request.problemInformation(), request.authMethod(),
                limits.outboundTopicAliases());
        connection.will(request.will());
        if (!admission.startAuthentication()) {
            ConnackSender.refuse(connection, ConnackReasonCode.SERVER_BUSY,
                    "too many connections waiting for authentication (broker.auth.max-pending)");
            return;
        }
        connection.state(ConnectionState.AUTHENTICATING);

        AuthRequest auth = new AuthRequest(request.clientId(), connect.payload().userName(),
                connect.payload().passwordInBytes(), request.authMethod(), request.authData(),
                connection.remoteAddress(), connection.certificateIdentities(), header.version(), false);
        authenticator.authenticate(auth).whenComplete((result, failure) -> connection.transport().execute(() -> {
            admission.authenticationDone();
            if (connection.state() != ConnectionState.AUTHENTICATING) {
                return; // closed meanwhile
            }
            if (failure != null) {
                LOG.warnf("Authentication backend failed for client %s: %s", request.clientId(), failure.toString());
                ConnackSender.refuse(connection, ConnackReasonCode.SERVER_UNAVAILABLE,
                        "authentication service unavailable"); // fail closed
                return;
            }
            complete(connection, request, result);
        }));
    }

    private void complete(MqttConnection connection, ConnectRequest request, AuthResult result) {
        switch (result) {
            case AuthResult.Denied denied -> {
                LOG.debugf("CONNECT of %s refused: %s (%s)", connection.clientId(), denied.code(), denied.reason());
                ConnackSender.refuse(connection, denied.code(), denied.reason());
            }
            case AuthResult.Continue cont -> {
                connection.pendingConnect(allowed -> accept(connection, request, allowed));
                authExchange.challenge(connection, cont.authenticationData());
            }
            case AuthResult.Allowed allowed -> accept(connection, request, allowed);
        }
    }

    /** Finishes a successful authentication: claims the session, then CONNACK, keep-alive, held packets. */
    private void accept(MqttConnection connection, ConnectRequest request, AuthResult.Allowed allowed) {
        ConnectionQuota quota = quotas.open(allowed.principal(), connection.clientId());
        if (quota == null) {
            ConnackSender.refuse(connection, ConnackReasonCode.QUOTA_EXCEEDED, "user " + allowed.principal()
                    + " holds broker.quota.max-connections-per-user connections already"); // 3.1.1: code 3
            return;
        }
        connection.quota(quota);
        connection.authenticated(allowed, disconnector.onCredentialsExpired(connection));
        var claim = sessions.attach(connection.clientId(), request.cleanStart(), connection, request.grantedExpiry(),
                allowed.principal()).toCompletableFuture();
        if (claim.isDone() && !claim.isCompletedExceptionally()) {
            attached(connection, request, claim.join()); // single node: no hop
            return;
        }
        claim.whenComplete((attach, failure) -> connection.transport().execute(() -> {
            if (connection.state() != ConnectionState.AUTHENTICATING) {
                if (attach != null) {
                    sessions.detach(attach.session(), connection); // closed while the claim ran
                }
                return;
            }
            if (failure instanceof SessionDirectory.ForeignSession
                    || failure != null && failure.getCause() instanceof SessionDirectory.ForeignSession) {
                LOG.debugf("CONNECT of %s refused: %s", connection.clientId(), failure.toString());
                ConnackSender.refuse(connection, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "the session of this client id belongs to another user");
                return;
            }
            if (failure != null) {
                LOG.warnf("Session claim for %s failed: %s", connection.clientId(), failure.toString());
                ConnackSender.refuse(connection, ConnackReasonCode.SERVER_UNAVAILABLE, "session directory unavailable");
                return;
            }
            attached(connection, request, attach);
        }));
    }

    private void attached(MqttConnection connection, ConnectRequest request, SessionDirectory.Attach attach) {
        connection.attachSession(attach.session());
        // The journal keeps a will this client may publish, for the case its connection dies with the broker.
        Will will = request.will();
        boolean keep = will != null && connection.effectivePermissions().mayPublish(will.message().topic(),
                will.message().qos(), will.message().retain());
        attach.session().will(keep ? will.stored() : null);
        if (attach.previousConnection() instanceof MqttConnection previous && previous != connection) {
            disconnector.disconnect(previous, DisconnectReasonCode.SESSION_TAKEN_OVER,
                    "another connection used the same client id"); // [MQTT-3.1.4-3]
        }
        // A delayed will is dropped if the session resumes, published now if the old session ended [MQTT-3.1.3-9].
        wills.onReconnect(connection.clientId(), attach.sessionPresent());
        ConnackSender.accept(connection, attach.sessionPresent(), connection.isMqtt5()
                ? ConnackSender.properties(limits, request, connection.authenticationMethod())
                : MqttProperties.NO_PROPERTIES);
        connection.state(ConnectionState.CONNECTED);
        metrics.connected();
        connection.transport().keepAlive(request.keepAlive());
        connection.keepAliveSeconds(request.keepAlive());
        if (attach.sessionPresent()) {
            attach.session().resume(connection);
        }
        connection.connected();
        connection.flushIfNeeded();
    }
}
