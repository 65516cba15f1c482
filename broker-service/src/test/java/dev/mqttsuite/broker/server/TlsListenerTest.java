package dev.mqttsuite.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.mqttsuite.broker.support.TestCertificates;
import jakarta.inject.Inject;
import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** MQTT over TLS on its own listener beside the plain one, with a PEM certificate. */
@QuarkusTest
@TestProfile(TlsListenerTest.TlsProfile.class)
class TlsListenerTest {

    public static class TlsProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.tls.enabled", "true", "broker.tls.port", "0",
                    "broker.tls.keystore-file", TestCertificates.serverKeystore().toString(),
                    "broker.tls.keystore-password", TestCertificates.PASSWORD);
        }
    }

    @Inject
    BrokerService broker;

    @Test
    void tlsListener_acceptsMqtt5OverTls12Or13_andRoutesLikeThePlainOne() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(TestCertificates.serverKeystore().toFile())) {
            server.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("broker", server.getCertificate("broker"));
        trust.init(store);
        Mqtt5BlockingClient tlsClient = MqttClient.builder().useMqttVersion5().identifier("tls-client")
                .serverHost("localhost").serverPort(broker.tlsPort())
                .sslConfig().trustManagerFactory(trust).protocols(java.util.List.of("TLSv1.3")).applySslConfig()
                .buildBlocking();
        tlsClient.connect();
        tlsClient.subscribeWith().topicFilter("tls/test").send();
        try (var publishes = dev.mqttsuite.broker.support.BrokerTest.listen(tlsClient)) {
            Mqtt5BlockingClient plain = MqttClient.builder().useMqttVersion5().identifier("plain-client")
                    .serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
            plain.connect();
            plain.publishWith().topic("tls/test").payload("secure".getBytes()).send();
            plain.disconnect();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("secure");
        }
        tlsClient.disconnect();
        assertThat(broker.tlsPort()).isNotEqualTo(broker.mqttPort());
    }
}
