package dev.mqttsuite.it.bridge;

import static dev.mqttsuite.it.support.Listen.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Closer;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.MosquittoProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import dev.mqttsuite.it.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bridge to a broker that authenticates clients by certificate (mutual TLS, as cloud IoT endpoints do): the bridge
 * verifies Mosquitto's certificate against the configured CA and presents its own; Mosquitto takes the certificate's
 * CN as the user name. A bridge without a client certificate is refused by the TLS handshake.
 */
class BridgeTlsIT {

    private static MosquittoProcess mosquitto;
    private static ServiceProcess broker;
    private static ServiceProcess bridge;
    private static int mqtt;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        Path pkiDir = Files.createTempDirectory("it-pki");
        TestPki pki = new TestPki(pkiDir);
        pki.issue("server", "localhost");
        pki.issue("bridge", "edge-bridge");
        // Mosquitto drops to its own user: it must be able to read these
        Files.setPosixFilePermissions(pkiDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(pkiDir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        tlsPort = ServiceProcess.freePort();
        mosquitto = new MosquittoProcess(String.join("\n",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.caPem(),
                "certfile " + pki.cert("server"),
                "keyfile " + pki.key("server"),
                "require_certificate true",
                "use_identity_as_username true")).start();
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("tls-bridge-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true").start();
        Path config = Files.createTempFile("bridges-tls", ".properties");
        Files.writeString(config, String.join("\n",
                "bridge.local.port=" + mqtt,
                "bridge.reconnect.initial-delay=200ms",
                "bridge.reconnect.max-delay=1s",
                "bridge.bridges.secure.remote.host=127.0.0.1",
                "bridge.bridges.secure.remote.port=" + tlsPort,
                "bridge.bridges.secure.remote.tls=true",
                "bridge.bridges.secure.remote.tls-trust-certificates=" + pki.caPem(),
                "bridge.bridges.secure.remote.tls-cert-file=" + pki.cert("bridge"),
                "bridge.bridges.secure.remote.tls-key-file=" + pki.key("bridge"),
                "bridge.bridges.secure.topics[0].filter=secure/#",
                "bridge.bridges.secure.topics[0].remote-prefix=site/",
                "bridge.bridges.nocert.remote.host=127.0.0.1",
                "bridge.bridges.nocert.remote.port=" + tlsPort,
                "bridge.bridges.nocert.remote.tls=true",
                "bridge.bridges.nocert.remote.tls-trust-certificates=" + pki.caPem(),
                "bridge.bridges.nocert.remote.required=false",
                "bridge.bridges.nocert.topics[0].filter=nocert/#", ""));
        bridge = new ServiceProcess("bridge-tls", "bridge-service")
                .env("QUARKUS_CONFIG_LOCATIONS", config.toString()).start();
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(bridge, broker, mosquitto);
    }

    @Test
    void messagesCrossToABrokerThatAuthenticatesTheBridgeByItsCertificate() throws Exception {
        // the plain listener of the same Mosquitto, for the test's own subscriber
        Mqtt5BlockingClient remote = MqttClient.builder().useMqttVersion5().identifier("tls-remote-sub")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        remote.connect();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(remote);
        remote.subscribeWith().topicFilter("site/secure/#").qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient local = MqttClient.builder().useMqttVersion5().identifier("tls-local-pub")
                .serverHost("127.0.0.1").serverPort(mqtt).buildBlocking();
        local.connect();
        local.publishWith().topic("secure/door").qos(MqttQos.AT_LEAST_ONCE).payload("locked".getBytes()).send();
        Optional<Mqtt5Publish> got = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(got).as("bridged over mutual TLS").isPresent();
        assertThat(got.get().getTopic().toString()).isEqualTo("site/secure/door");
        local.disconnect();
        remote.disconnect();

        Path log = Path.of("target/it-logs/mosquitto-" + mosquitto.port() + ".log");
        assertThat(Files.readString(log)).as("Mosquitto took the certificate's CN as the user name")
                .contains("u'edge-bridge'");
    }

    @Test
    void aBridgeWithoutAClientCertificateIsRefused() {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Http.get(bridge.httpPort(), "/q/health/ready").body())
                        .contains("\"nocert.remote\": \"disconnected"));
    }
}
