package dev.mqttsuite.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.RawWebSocketClient;
import dev.mqttsuite.broker.support.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** MQTT over secure WebSocket (wss): its own port, the broker.tls.* certificate (the TLS listener's test profile). */
@QuarkusTest
@TestProfile(TlsListenerTest.TlsProfile.class)
class WebSocketTlsTest extends BrokerTest {

    private static TrustManagerFactory trustTheTestCertificate() throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(TestCertificates.serverKeystore().toFile())) {
            server.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("broker", server.getCertificate("broker"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust;
    }

    @Test
    void wssListener_carriesMqtt5_toAndFromTcpClients() throws Exception {
        assertThat(broker.webSocketTlsPort()).isPositive().isNotIn(broker.tlsPort(), broker.webSocketPort());
        String topic = unique("wss/test");
        Mqtt5BlockingClient wss = MqttClient.builder().useMqttVersion5().identifier(unique("wss-client"))
                .serverHost("localhost").serverPort(broker.webSocketTlsPort())
                .sslConfig().trustManagerFactory(trustTheTestCertificate()).protocols(List.of("TLSv1.3"))
                .applySslConfig()
                .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig()
                .buildBlocking();
        wss.connect();
        onCleanup(wss::disconnect);
        wss.subscribeWith().topicFilter(topic + "/to-wss").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient tcp = mqtt5(unique("tcp-client"));
        tcp.subscribeWith().topicFilter(topic + "/to-tcp").qos(MqttQos.AT_LEAST_ONCE).send();
        try (var atWss = listen(wss); var atTcp = listen(tcp)) {
            tcp.publishWith().topic(topic + "/to-wss").qos(MqttQos.AT_LEAST_ONCE).payload("secure".getBytes()).send();
            wss.publishWith().topic(topic + "/to-tcp").qos(MqttQos.AT_LEAST_ONCE).payload("back".getBytes()).send();
            assertThat(atWss.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("secure");
            assertThat(atTcp.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("back");
        }
    }

    @Test
    void wssMalformedPacket_getsTheReasonCode_thenACloseFrame_beforeTheTlsClose() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustTheTestCertificate().getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        URI uri = URI.create("wss://localhost:" + broker.webSocketTlsPort() + "/mqtt");
        try (RawWebSocketClient client = RawWebSocketClient.open(http, uri, "mqtt").get(10, TimeUnit.SECONDS)) {
            assertThat(client.sendBinary(RawMqttClient.connect(5, unique("bad-wss"))).read().type())
                    .isEqualTo(RawMqttClient.CONNACK);
            client.sendBinary(new byte[] {(byte) 0xC1, 0}); // PINGREQ with a reserved flag set [MQTT-2.1.3-1]
            RawMqttClient.Packet disconnect = client.read();
            assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
            assertThat(disconnect.body()[0] & 0xFF).as("0x81 Malformed Packet").isEqualTo(0x81);
            assertThat(client.closeStatus(java.time.Duration.ofSeconds(5))).isEqualTo(1000);
        }
    }
}
