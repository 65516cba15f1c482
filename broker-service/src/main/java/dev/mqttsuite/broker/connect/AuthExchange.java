package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.auth.AuthRequest;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.reason.AuthReasonCode;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import org.jboss.logging.Logger;

/**
 * MQTT 5 AUTH packets (section 3.15, 4.12): re-authentication of an established connection (reason 0x19) with the
 * method used at CONNECT, and the challenge/response steps of enhanced authentication. The methods themselves are the
 * authenticator's business; this class keeps the protocol rules: AUTH only with a method from CONNECT
 * [MQTT-4.12.0-7], the same method on re-authentication [MQTT-4.12.1-1], failure ends the connection.
 */
public final class AuthExchange implements PacketHandler<MqttMessage> {

    private static final Logger LOG = Logger.getLogger(AuthExchange.class);

    private final Authenticator authenticator;
    private final Disconnector disconnector;

    public AuthExchange(Authenticator authenticator, Disconnector disconnector) {
        this.authenticator = authenticator;
        this.disconnector = disconnector;
    }

    @Override
    public void handle(MqttConnection connection, MqttMessage message) {
        if (!connection.isMqtt5() || connection.authenticationMethod() == null) {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                    "AUTH without an Authentication Method in CONNECT"); // [MQTT-4.12.0-7]
            return;
        }
        MqttReasonCodeAndPropertiesVariableHeader header =
                (MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader();
        int reason = header == null ? 0 : header.reasonCode() & 0xFF;
        MqttProperties props = header == null ? MqttProperties.NO_PROPERTIES : header.properties();
        String method = Props.string(props, MqttPropertyType.AUTHENTICATION_METHOD);
        if (method == null || !method.equals(connection.authenticationMethod())) {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                    "AUTH must use the Authentication Method of CONNECT"); // [MQTT-4.12.1-1]
            return;
        }
        boolean reauth = reason == AuthReasonCode.RE_AUTHENTICATE.reasonCode().unsignedCode();
        if (connection.state() == ConnectionState.CONNECTED && !reauth
                && reason != AuthReasonCode.CONTINUE_AUTHENTICATION.reasonCode().unsignedCode()) {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR, "unexpected AUTH reason code");
            return;
        }
        AuthRequest request = new AuthRequest(connection.clientId(), null, null, method,
                Props.binary(props, MqttPropertyType.AUTHENTICATION_DATA), connection.remoteAddress(),
                connection.certificateIdentities(), 5, connection.state() == ConnectionState.CONNECTED);
        authenticator.authenticate(request).whenComplete((result, failure) ->
                connection.transport().execute(() -> {
                    if (!connection.isActive()) {
                        return;
                    }
                    if (failure != null) {
                        LOG.warnf("Re-authentication of %s failed: %s", connection.clientId(), failure.toString());
                        disconnector.disconnect(connection, DisconnectReasonCode.UNSPECIFIED_ERROR,
                                "authentication service unavailable");
                        return;
                    }
                    boolean connecting = connection.state() == ConnectionState.AUTHENTICATING;
                    switch (result) {
                        case AuthResult.Allowed allowed -> {
                            if (connecting && connection.pendingConnect() != null) {
                                connection.pendingConnect().accept(allowed);
                                connection.pendingConnect(null);
                            } else {
                                connection.authenticated(allowed, disconnector.onCredentialsExpired(connection));
                                sendAuth(connection, AuthReasonCode.SUCCESS, null);
                            }
                        }
                        case AuthResult.Continue cont -> challenge(connection, cont.authenticationData());
                        case AuthResult.Denied denied -> {
                            if (connecting) {
                                ConnackSender.refuse(connection, denied.code(), denied.reason());
                            } else {
                                disconnector.disconnect(connection, DisconnectReasonCode.NOT_AUTHORIZED,
                                        denied.reason());
                            }
                        }
                    }
                    connection.flushIfNeeded();
                }));
    }

    /** Sends AUTH 0x18 Continue authentication with the authenticator's challenge. */
    public void challenge(MqttConnection connection, byte[] data) {
        sendAuth(connection, AuthReasonCode.CONTINUE_AUTHENTICATION, data);
        connection.flushIfNeeded();
    }

    private void sendAuth(MqttConnection connection, AuthReasonCode code, byte[] data) {
        MqttProperties props = new MqttProperties();
        Props.putString(props, MqttPropertyType.AUTHENTICATION_METHOD, connection.authenticationMethod());
        if (data != null) {
            Props.putBinary(props, MqttPropertyType.AUTHENTICATION_DATA, data);
        }
        MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0);
        connection.write(new MqttMessage(fixed, new MqttReasonCodeAndPropertiesVariableHeader(code.code(), props)));
    }
}
