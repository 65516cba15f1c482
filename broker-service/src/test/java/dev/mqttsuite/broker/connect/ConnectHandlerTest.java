package dev.mqttsuite.broker.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.support.CoreFixture;
import dev.mqttsuite.broker.support.RecordingTransport;
import dev.mqttsuite.broker.will.WillService;
import dev.mqttsuite.reason.ConnackReasonCode;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** CONNECT handling without Netty: validation, asynchronous authentication, session claim and takeover, CONNACK. */
class ConnectHandlerTest {

    private CoreFixture core = new CoreFixture();
    /** Authentication answers, completed by each test when it wants. */
    private final Queue<CompletableFuture<AuthResult>> answers = new ArrayDeque<>();
    private final Authenticator authenticator = new Authenticator() {
        @Override
        public CompletionStage<AuthResult> authenticate(dev.mqttsuite.broker.auth.AuthRequest request) {
            CompletableFuture<AuthResult> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public String describe() {
            return "test";
        }
    };

    private ConnectHandler handler() {
        SessionExpiry expiry = new SessionExpiry(core.config.session().maxExpiryInterval());
        return new ConnectHandler(new ConnectParser(core.config.limits(), core.config.mqtt(), expiry), authenticator,
                new AuthExchange(authenticator, core.disconnector), core.sessions, new WillService(core.publisher),
                core.disconnector, core.metrics, core.config.limits(),
                new dev.mqttsuite.broker.connection.Admission(100, 100, 100, core.metrics.registry()),
                new dev.mqttsuite.broker.quota.Quotas(core.config.quota(),
                        new dev.mqttsuite.broker.quota.QuotaMetrics(core.metrics.registry()), System::nanoTime));
    }

    private MqttConnection newConnection() {
        return new MqttConnection(new RecordingTransport(), core.metrics, "test", List.of(),
                core.config.limits().receiveMaximum());
    }

    private static MqttConnectMessage connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive,
            MqttProperties props) {
        MqttConnectVariableHeader header = new MqttConnectVariableHeader(version.protocolName(),
                version.protocolLevel(), false, false, false, 0, false, cleanStart, keepAlive, props);
        return new MqttConnectMessage(new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false,
                0), header, new MqttConnectPayload(clientId, MqttProperties.NO_PROPERTIES, null, (byte[]) null, null,
                (byte[]) null));
    }

    private static MqttProperties expiry(long seconds) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) seconds));
        return props;
    }

    private static MqttConnAckMessage connack(MqttConnection connection) {
        var acks = ((RecordingTransport) connection.transport()).written(MqttMessageType.CONNACK);
        assertThat(acks).as("one CONNACK").hasSize(1);
        return (MqttConnAckMessage) acks.get(0);
    }

    private void allow(String principal) {
        answers.remove().complete(new AuthResult.Allowed(principal, Permissions.ALL, null, false));
    }

    private static void runLoop(MqttConnection connection) {
        ((RecordingTransport) connection.transport()).runPending();
    }

    @Test
    void connackWaitsForTheAuthenticator_thenAcceptsWithTheBrokersLimits() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c1", true, 30, MqttProperties.NO_PROPERTIES));
        runLoop(connection);
        assertThat(((RecordingTransport) connection.transport()).written()).as("nothing before the decision").isEmpty();
        assertThat(connection.state()).isEqualTo(ConnectionState.AUTHENTICATING);

        allow("alice");
        runLoop(connection);

        MqttConnAckMessage ack = connack(connection);
        assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
        assertThat(ack.variableHeader().isSessionPresent()).isFalse();
        MqttProperties props = ack.variableHeader().properties();
        assertThat(Props.integer(props, MqttPropertyType.RECEIVE_MAXIMUM)).isEqualTo(1024);
        assertThat(Props.integer(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM)).isEqualTo(64);
        assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(((RecordingTransport) connection.transport()).keepAliveSeconds()).isEqualTo(30);
        assertThat(connection.principal()).isEqualTo("alice");
    }

    @Test
    void sessionExpiryAboveTheBrokerMaximumIsLoweredAndAnnouncedInConnack() {
        core = new CoreFixture(Map.of("broker.session.max-expiry-interval", "100"), new InMemoryRetainedStore());
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c1", true, 0, expiry(1000)));
        allow("alice");
        runLoop(connection);

        assertThat(Props.unsigned(connack(connection).variableHeader().properties(),
                MqttPropertyType.SESSION_EXPIRY_INTERVAL)).isEqualTo(100L);
        assertThat(connection.session().expiryIntervalSeconds()).isEqualTo(100);
    }

    @Test
    void sameClientIdOnASecondConnection_takesTheSessionOver_oldGets0x8E_newGetsSessionPresent_MQTT_3_1_4_3() {
        MqttConnection first = newConnection();
        handler().handle(first, connect(MqttVersion.MQTT_5, "dup", true, 0, expiry(60)));
        allow("alice");
        runLoop(first);

        MqttConnection second = newConnection();
        handler().handle(second, connect(MqttVersion.MQTT_5, "dup", false, 0, expiry(60)));
        allow("alice");
        runLoop(second);

        assertThat(connack(second).variableHeader().isSessionPresent()).isTrue();
        assertThat(second.session()).isSameAs(first.session());
        var disconnects = ((RecordingTransport) first.transport()).written(MqttMessageType.DISCONNECT);
        assertThat(disconnects).hasSize(1);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnects.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x8E);
        assertThat(((RecordingTransport) first.transport()).closed()).isTrue();
    }

    @Test
    void cleanStartDiscardsTheExistingSession_MQTT_3_1_2_4() {
        MqttConnection first = newConnection();
        handler().handle(first, connect(MqttVersion.MQTT_5, "c", true, 0, expiry(60)));
        allow("a");
        runLoop(first);

        MqttConnection second = newConnection();
        handler().handle(second, connect(MqttVersion.MQTT_5, "c", true, 0, expiry(60)));
        allow("a");
        runLoop(second);

        assertThat(connack(second).variableHeader().isSessionPresent()).isFalse();
        assertThat(second.session()).isNotSameAs(first.session());
        assertThat(first.session().isEnded()).isTrue();
    }

    @Test
    void deniedAuthentication_refusesWithItsReasonCodeAndCloses_MQTT_3_2_2_6() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c", true, 0, MqttProperties.NO_PROPERTIES));
        answers.remove().complete(new AuthResult.Denied(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "no"));
        runLoop(connection);

        assertThat(connack(connection).variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x86);
        assertThat(((RecordingTransport) connection.transport()).closed()).isTrue();
        assertThat(connection.session()).isNull();
    }

    @Test
    void authenticationBackendFailure_failsClosedWithServerUnavailable0x88() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c", true, 0, MqttProperties.NO_PROPERTIES));
        answers.remove().completeExceptionally(new IllegalStateException("auth-service down"));
        runLoop(connection);

        assertThat(connack(connection).variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x88);
        assertThat(((RecordingTransport) connection.transport()).closed()).isTrue();
    }

    @Test
    void receiveMaximumZero_isAProtocolError0x82_withoutAskingTheAuthenticator() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), 0));
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c", true, 0, props));

        assertThat(connack(connection).variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x82);
        assertThat(answers).isEmpty();
    }

    @Test
    void mqtt311EmptyClientIdWithoutCleanSession_isRefusedWithReturnCode2_MQTT_3_1_3_8() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_3_1_1, "", false, 0, MqttProperties.NO_PROPERTIES));

        assertThat(connack(connection).variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 2);
        assertThat(answers).isEmpty();
    }

    @Test
    void mqtt5EmptyClientId_getsAnAssignedClientIdentifier_MQTT_3_2_2_16() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "", true, 0, MqttProperties.NO_PROPERTIES));
        allow("a");
        runLoop(connection);

        String assigned = Props.string(connack(connection).variableHeader().properties(),
                MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER);
        assertThat(assigned).isNotBlank().isEqualTo(connection.clientId());
    }

    @Test
    void connectionClosedWhileAuthenticating_getsNoConnackAndNoSession() {
        MqttConnection connection = newConnection();
        handler().handle(connection, connect(MqttVersion.MQTT_5, "c", true, 0, MqttProperties.NO_PROPERTIES));
        connection.state(ConnectionState.CLOSED);
        allow("a");
        runLoop(connection);

        assertThat(((RecordingTransport) connection.transport()).written()).isEmpty();
        assertThat(core.sessions.get("c")).isNull();
    }
}
