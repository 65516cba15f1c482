package dev.mqttsuite.broker.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.server.BrokerService;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * broker.tls.reload-interval: the certificate files of the TLS and wss listeners are swapped (as a Kubernetes Secret
 * update or a cert-manager renewal does); new handshakes get the new certificate while a connection opened before the
 * swap stays up and keeps working.
 */
@QuarkusTest
@TestProfile(TlsCertificateReloadTest.PemFiles.class)
class TlsCertificateReloadTest {

    static final Path DIR;
    static final Path FIRST = TestCertificates.serverKeystore("CN=broker-first");
    static final Path SECOND = TestCertificates.serverKeystore("CN=broker-second");

    static {
        try {
            DIR = Files.createTempDirectory("broker-tls-reload");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestCertificates.writePem(FIRST, DIR.resolve("tls.crt"), DIR.resolve("tls.key"));
    }

    public static class PemFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.tls.enabled", "true", "broker.tls.port", "0",
                    "broker.tls.cert-file", DIR.resolve("tls.crt").toString(),
                    "broker.tls.key-file", DIR.resolve("tls.key").toString(),
                    "broker.tls.reload-interval", "200ms");
        }
    }

    @Inject
    BrokerService broker;

    @Test
    void swappedCertificateFiles_reachNewHandshakes_whileOpenConnectionsStayUp() throws Exception {
        SSLContext trustBoth = trusting(FIRST, SECOND);
        assertThat(subjectServedOn(broker.tlsPort(), trustBoth)).isEqualTo("CN=broker-first");
        Mqtt5BlockingClient before = MqttClient.builder().useMqttVersion5().identifier("before-the-swap")
                .serverHost("localhost").serverPort(broker.tlsPort()).sslConfig()
                .trustManagerFactory(trustManagers(FIRST, SECOND)).applySslConfig().buildBlocking();
        before.connect();
        before.subscribeWith().topicFilter("reload/test").qos(MqttQos.AT_LEAST_ONCE).send();

        swapTo(SECOND);

        Awaitility.await("the TLS listener serves the new certificate").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "CN=broker-second".equals(subjectServedOn(broker.tlsPort(), trustBoth)));
        Awaitility.await("the wss listener serves the new certificate").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "CN=broker-second".equals(subjectServedOn(broker.webSocketTlsPort(), trustBoth)));

        Mqtt5BlockingClient after = MqttClient.builder().useMqttVersion5().identifier("after-the-swap")
                .serverHost("localhost").serverPort(broker.tlsPort()).sslConfig()
                .trustManagerFactory(trustManagers(SECOND)).applySslConfig().buildBlocking();
        after.connect();
        try (var publishes = BrokerTest.listen(before)) {
            after.publishWith().topic("reload/test").qos(MqttQos.AT_LEAST_ONCE).payload("still up".getBytes()).send();
            assertThat(publishes.receive(30, TimeUnit.SECONDS)).as("the connection opened before the swap")
                    .get().extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("still up");
        }
        assertThat(before.getState().isConnected()).isTrue();
        after.disconnect();
        before.disconnect();
    }

    /** Replaces tls.key and tls.crt, each by an atomic rename, as the kubelet swaps a Secret's files. */
    private static void swapTo(Path keystore) throws IOException {
        Path staging = Files.createTempDirectory(DIR, "staging");
        TestCertificates.writePem(keystore, staging.resolve("tls.crt"), staging.resolve("tls.key"));
        Files.move(staging.resolve("tls.key"), DIR.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging.resolve("tls.crt"), DIR.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The subject of the certificate a fresh TLS handshake on this port presents, or null if it failed. */
    private static String subjectServedOn(int port, SSLContext context) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        } catch (IOException handshakeFailed) {
            return null;
        }
    }

    private static SSLContext trusting(Path... keystores) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(keystores).getTrustManagers(), null);
        return context;
    }

    private static TrustManagerFactory trustManagers(Path... keystores) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int i = 0;
        for (Path keystore : keystores) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            trusted.setCertificateEntry("broker-" + i++, store.getCertificate("broker"));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }
}
