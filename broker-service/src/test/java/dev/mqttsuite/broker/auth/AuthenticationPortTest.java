package dev.mqttsuite.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.RecordingAuthenticator;
import dev.mqttsuite.broker.support.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The broker with an authentication backend (a test double of the auth-service adapter): credentials and client
 * certificates reach it, its answers become CONNACK codes, its permissions are enforced locally, and a failing backend
 * fails closed with 0x88 Server unavailable.
 */
@QuarkusTest
@TestProfile(AuthenticationPortTest.WithBackend.class)
class AuthenticationPortTest extends BrokerTest {

    public static class WithBackend implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.auth.allow-anonymous", "false", "broker.tls.enabled", "true",
                    "broker.tls.port", "0",
                    "broker.tls.keystore-file", TestCertificates.serverKeystore().toString(),
                    "broker.tls.keystore-password", TestCertificates.PASSWORD,
                    "broker.tls.client-auth", "request",
                    "broker.tls.trust-file", TestCertificates.clientCertificatePem().toString());
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RecordingAuthenticator.class);
        }
    }

    @Inject
    RecordingAuthenticator backend;

    @Test
    void credentialsReachTheBackend_andItsPermissionsAreEnforcedLocally() {
        Mqtt5BlockingClient alice = mqtt5Builder(unique("alice")).simpleAuth().username("alice")
                .password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        alice.connect();
        onCleanup(alice::disconnect);
        assertThat(backend.requests()).anyMatch(r -> "alice".equals(r.username()) && r.protocolVersion() == 5);
        assertThat(alice.subscribeWith().topicFilter("alice/inbox/#").send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
        assertThatThrownBy(() -> alice.subscribeWith().topicFilter("bob/#").send())
                .isInstanceOfSatisfying(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCodes())
                                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
        assertThatThrownBy(() -> alice.publishWith().topic("bob/inbox").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send())
                .isInstanceOfSatisfying(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void anotherUserWithTheSameClientIdIsRefused_andNeverGetsTheOwnersQueuedMessages() throws Exception {
        String clientId = unique("alice-device");
        Mqtt5BlockingClient alice = mqtt5Builder(clientId).simpleAuth().username("alice")
                .password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        alice.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        alice.subscribeWith().topicFilter("alice/inbox/#").qos(MqttQos.AT_LEAST_ONCE).send();
        alice.disconnect();
        Mqtt5BlockingClient sender = mqtt5Builder(unique("alice-sender")).simpleAuth().username("alice")
                .password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        sender.connect();
        sender.publishWith().topic("alice/inbox/1").qos(MqttQos.AT_LEAST_ONCE).payload("for alice".getBytes()).send();
        sender.disconnect();

        Mqtt5BlockingClient bob = mqtt5Builder(clientId).simpleAuth().username("bob")
                .password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        assertThatThrownBy(() -> bob.connectWith().cleanStart(false).sessionExpiryInterval(300).send())
                .as("a session belongs to the user that created it")
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage()
                        .getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));

        Mqtt5BlockingClient back = mqtt5Builder(clientId).simpleAuth().username("alice")
                .password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(back)) {
            assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent())
                    .isTrue();
            onCleanup(back::disconnect);
            assertThat(publishes.receive(5, java.util.concurrent.TimeUnit.SECONDS)).hasValueSatisfying(
                    p -> assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("for alice"));
        }
    }

    @Test
    void wrongPassword_getsBadUserNameOrPassword_in5_andReturnCode4_in311() {
        Mqtt5BlockingClient client = mqtt5Builder(unique("mallory")).simpleAuth().username("alice")
                .password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        var v3 = MqttClient.builder().useMqttVersion3().identifier(unique("m3")).serverHost("127.0.0.1")
                .serverPort(port()).simpleAuth().username("alice").password("wrong".getBytes()).applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(v3::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void backendUnreachable_failsClosedWithServerUnavailable() {
        Mqtt5BlockingClient client = mqtt5Builder(unique("down")).simpleAuth().username("down")
                .password("x".getBytes()).applySimpleAuth().buildBlocking();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));
    }

    @Test
    void clientCertificate_namesTheUserByTheConfiguredFieldOnly_cnByDefault() throws Exception {
        char[] password = TestCertificates.PASSWORD.toCharArray();
        KeyStore clientStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(TestCertificates.clientKeystore().toFile())) {
            clientStore.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(clientStore, password);
        KeyStore serverStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(TestCertificates.serverKeystore().toFile())) {
            serverStore.load(in, password);
        }
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("broker", serverStore.getCertificate("broker"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        String id = unique("device");
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("localhost")
                .serverPort(broker.tlsPort()).sslConfig().keyManagerFactory(keys).trustManagerFactory(trust)
                .applySslConfig().buildBlocking();
        device.connect();
        device.disconnect();
        assertThat(backend.requests()).anySatisfy(r -> {
            assertThat(r.clientId()).isEqualTo(id);
            assertThat(r.certificateIdentities()).as("broker.tls.user-field=cn: the CN, not the SAN")
                    .containsExactly("device-1");
        });
    }

    /** CONNECT (MQTT 5) with Authentication Method TEST-TOKEN and the given data. */
    private static byte[] connectWithToken(String clientId, String data) {
        byte[] props = RawMqttClient.concat(new byte[] {0x15}, RawMqttClient.utf8("TEST-TOKEN"), new byte[] {0x16},
                RawMqttClient.utf8(data));
        return RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {5, 0x02, 0, 60, (byte) props.length}, props, RawMqttClient.utf8(clientId)));
    }

    @Test
    void credentialExpiry_endsTheSessionWithMaximumConnectTime() throws Exception {
        var raw = raw();
        raw.send(RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {5, (byte) 0xC2, 0, 60, 0}, RawMqttClient.utf8(unique("short")),
                RawMqttClient.utf8("short"), RawMqttClient.utf8("pw"))));
        assertThat(raw.read().body()[1]).as("CONNACK success").isZero();
        var disconnect = raw.read(); // within the 5 s socket timeout: the credential lives 1 s
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).as("0xA0 Maximum connect time").isEqualTo(0xA0);
    }

    @Test
    void reauthenticationWithAFreshToken_keepsTheSessionAlive_MQTT_4_12_1() throws Exception {
        var raw = raw();
        raw.send(connectWithToken(unique("reauth"), "1"));
        assertThat(raw.read().body()[1]).as("CONNACK success").isZero();
        // a second connection with a one-second token, authenticated later: its expiry comes after the first token's
        var control = raw();
        control.send(connectWithToken(unique("control"), "1"));
        assertThat(control.read().body()[1]).as("CONNACK success").isZero();
        byte[] authProps = RawMqttClient.concat(new byte[] {0x15}, RawMqttClient.utf8("TEST-TOKEN"),
                new byte[] {0x16}, RawMqttClient.utf8("30"));
        raw.send(RawMqttClient.packet(0xF0, RawMqttClient.concat(new byte[] {0x19, (byte) authProps.length},
                authProps)));
        var auth = raw.read();
        assertThat(auth.type()).as("AUTH answer").isEqualTo(15);
        assertThat(auth.body()[0]).as("AUTH 0x00 Success").isZero();
        var expired = control.read();
        assertThat(expired.type()).as("the control's token expired").isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(expired.body()[0] & 0xFF).as("0xA0 Maximum connect time").isEqualTo(0xA0);
        // the first token's expiry has passed too; the re-authenticated session is alive and answers PINGREQ
        raw.send(new byte[] {(byte) 0xC0, 0});
        assertThat(raw.read().type()).as("PINGRESP, not DISCONNECT 0xA0").isEqualTo(RawMqttClient.PINGRESP);
    }

    @Test
    void reauthenticationWithAnotherMethod_isAProtocolError_MQTT_4_12_1_1() throws Exception {
        var raw = raw();
        raw.send(connectWithToken(unique("method"), "30"));
        assertThat(raw.read().body()[1]).isZero();
        byte[] authProps = RawMqttClient.concat(new byte[] {0x15}, RawMqttClient.utf8("OTHER"));
        raw.send(RawMqttClient.packet(0xF0, RawMqttClient.concat(new byte[] {0x19, (byte) authProps.length},
                authProps)));
        var disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x82);
    }
}
