package dev.mqttsuite.broker.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConnectTest extends BrokerTest {

    /** Well below broker.mqtt.connect-timeout (2 s in tests), which would close the connection anyway. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    @ConfigProperty(name = "broker.mqtt.connect-timeout")
    Duration connectTimeout;

    @Test
    void connackAnnouncesTheBrokersLimits_MQTT_3_2_2() {
        Mqtt5BlockingClient client = mqtt5Builder(unique("limits")).buildBlocking();
        Mqtt5ConnAck connAck = client.connect();
        onCleanup(client::disconnect);
        var restrictions = connAck.getRestrictions();
        assertThat(restrictions.getReceiveMaximum()).isEqualTo(1024);
        assertThat(restrictions.getMaximumPacketSize()).isEqualTo(1_048_576);
        assertThat(restrictions.getTopicAliasMaximum()).isEqualTo(64);
        assertThat(restrictions.isWildcardSubscriptionAvailable()).isTrue();
        assertThat(restrictions.isSharedSubscriptionAvailable()).isTrue();
        assertThat(restrictions.areSubscriptionIdentifiersAvailable()).isTrue();
        assertThat(restrictions.isRetainAvailable()).isTrue();
        assertThat(connAck.isSessionPresent()).isFalse();
    }

    @Test
    void givenEmptyClientIdInMqtt5_thenBrokerAssignsOne_MQTT_3_1_3_6() {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1")
                .serverPort(port()).buildBlocking();
        Mqtt5ConnAck connAck = client.connect();
        onCleanup(client::disconnect);
        assertThat(connAck.getAssignedClientIdentifier()).isPresent();
        assertThat(connAck.getAssignedClientIdentifier().get().toString()).startsWith("auto-");
    }

    @Test
    void givenEmptyClientIdWithoutCleanSessionIn311_thenIdentifierRejected_MQTT_3_1_3_8() throws Exception {
        RawMqttClient raw = raw();
        byte[] body = RawMqttClient.concat(RawMqttClient.utf8("MQTT"), new byte[] {4, 0x00, 0, 60},
                RawMqttClient.utf8(""));
        raw.send(RawMqttClient.packet(0x10, body));
        RawMqttClient.Packet connack = raw.read();
        assertThat(connack.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(connack.body()[1]).as("return code 2: identifier rejected").isEqualTo((byte) 2);
        assertThat(raw.closedByServerWithin(AT_ONCE)).as("closed after the refusal [MQTT-3.2.2-5]").isTrue();
    }

    @Test
    void givenEmptyClientIdWithCleanSessionIn311_thenAccepted() {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1")
                .serverPort(port()).buildBlocking();
        assertThat(client.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void givenUnknownProtocolLevel_thenConnackUnacceptableProtocolVersion_MQTT_3_1_2_2() throws Exception {
        RawMqttClient raw = raw();
        byte[] body = RawMqttClient.concat(RawMqttClient.utf8("MQTT"), new byte[] {9, 0x02, 0, 60},
                RawMqttClient.utf8("c"));
        raw.send(RawMqttClient.packet(0x10, body));
        RawMqttClient.Packet connack = raw.read();
        assertThat(connack.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(connack.body()[1]).isEqualTo((byte) 1);
        assertThat(raw.closedByServerWithin(AT_ONCE)).as("closed after the refusal [MQTT-3.2.2-5]").isTrue();
    }

    @Test
    void givenSameClientId_whenSecondClientConnects_thenFirstGetsSessionTakenOver_MQTT_3_1_4_3() throws Exception {
        String id = unique("takeover");
        CompletableFuture<Throwable> firstDisconnect = new CompletableFuture<>();
        Mqtt5Client first = mqtt5Builder(id)
                .addDisconnectedListener(ctx -> firstDisconnect.complete(ctx.getCause())).build();
        first.toBlocking().connect();
        Mqtt5BlockingClient second = mqtt5(id);
        Throwable cause = firstDisconnect.get(5, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        // HiveMQ's client calls its disconnected listeners before it updates its state
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.getState().isConnected());
        assertThat(second.getState().isConnected()).as("the new connection stays").isTrue();
    }

    @Test
    void givenNoConnect_thenSocketIsClosedAfterConnectTimeout() throws Exception {
        RawMqttClient raw = raw();
        long start = System.nanoTime();
        assertThat(raw.closedByServer()).as("closed within the 5 s read timeout").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before broker.mqtt.connect-timeout")
                .isGreaterThanOrEqualTo(connectTimeout.minusMillis(100));
    }

    @Test
    void givenPacketBeforeConnect_thenConnectionClosed_MQTT_3_1_0_1() throws Exception {
        RawMqttClient raw = raw();
        // PINGREQ, then a valid CONNECT in the same segment: a broker that ignored the PINGREQ would answer CONNACK
        raw.send(RawMqttClient.concat(new byte[] {(byte) 0xC0, 0}, RawMqttClient.connect(5, unique("early"))));
        assertThat(raw.read()).as("closed without CONNACK").isNull();
    }

    @Test
    void givenPacketBeforeConnect_thenAPipelinedConnectIsNotProcessed_MQTT_3_1_0_1() throws Exception {
        String id = unique("early-session");
        byte[] persistentConnect = RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {5, 0x02, 0, 60, 5, 0x11, 0, 0, 0x01, 0x2C}, RawMqttClient.utf8(id))); // expiry 300 s
        RawMqttClient raw = raw();
        raw.send(RawMqttClient.concat(new byte[] {(byte) 0xC0, 0}, persistentConnect));
        assertThat(raw.read()).as("closed without CONNACK").isNull();
        Mqtt5BlockingClient later = mqtt5Builder(id).buildBlocking();
        assertThat(later.connectWith().cleanStart(false).send().isSessionPresent())
                .as("the refused connection created no session").isFalse();
        onCleanup(later::disconnect);
    }

    @Test
    void givenSecondConnect_thenDisconnectProtocolError_MQTT_3_1_0_2() throws Exception {
        RawMqttClient raw = raw();
        assertThat(raw.connect5(unique("twice")).type()).isEqualTo(RawMqttClient.CONNACK);
        raw.send(RawMqttClient.connect(5, unique("twice")));
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x82);
        assertThat(raw.closedByServer()).isTrue();
    }

    @Test
    void givenKeepAlive_whenClientGoesSilent_thenDisconnectKeepAliveTimeout_MQTT_3_1_2_22() throws Exception {
        RawMqttClient raw = raw();
        byte[] body = RawMqttClient.concat(RawMqttClient.utf8("MQTT"), new byte[] {5, 0x02, 0, 1, 0},
                RawMqttClient.utf8(unique("silent")));
        raw.send(RawMqttClient.packet(0x10, body));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.CONNACK);
        long start = System.nanoTime();
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x8D);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("after 1.5 x the keep alive of 1 s")
                .isGreaterThan(Duration.ofMillis(1400));
    }

    @Test
    void mqtt311Client_connectsWithCleanSessionFalse_andGetsSessionPresentOnReturn() {
        String id = unique("persist311");
        Mqtt3BlockingClient first = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1")
                .serverPort(port()).buildBlocking();
        assertThat(first.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
        first.disconnect();
        Mqtt3BlockingClient second = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1")
                .serverPort(port()).buildBlocking();
        assertThat(second.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
        second.disconnect();
    }

    @Test
    void refusedConnect311_surfacesReturnCodeToClient() {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier("")
                .serverHost("127.0.0.1").serverPort(port()).buildBlocking();
        assertThatThrownBy(() -> client.connectWith().cleanSession(false).send())
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
    }

    @Test
    void authPacketWithoutAuthenticationMethodInConnect_isAProtocolError_MQTT_4_12_0_7() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("noauth"));
        raw.send(RawMqttClient.packet(0xF0, new byte[] {0x19, 0}));
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x82);
    }

    @Test
    void enhancedAuthenticationMethodUnknownToTheBackend_getsBadAuthenticationMethod() throws Exception {
        RawMqttClient raw = raw();
        byte[] props = RawMqttClient.concat(new byte[] {14, 0x15}, RawMqttClient.utf8("SCRAM-SHA-1"));
        raw.send(RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {5, 0x02, 0, 60}, props, RawMqttClient.utf8(unique("scram")))));
        RawMqttClient.Packet connack = raw.read();
        assertThat(connack.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(connack.body()[1] & 0xFF).isEqualTo(0x8C);
    }
}
