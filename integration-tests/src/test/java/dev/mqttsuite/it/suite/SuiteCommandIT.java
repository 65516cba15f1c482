package dev.mqttsuite.it.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.AdminClient;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.MosquittoProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command: {@code ./suite up} starts the three services on embedded defaults, prints the bootstrap
 * admin password, a device created through the admin API publishes and subscribes with credentials, retained state
 * and users persist across {@code down}/{@code up}, and {@code status} tells the truth.
 */
class SuiteCommandIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private final int authPort = ServiceProcess.freePort();
    private final int storePort = ServiceProcess.freePort();
    private final int brokerPort = ServiceProcess.freePort();
    private final int mqttPort = ServiceProcess.freePort();
    private final int bridgePort = ServiceProcess.freePort();
    private final int wsPort = ServiceProcess.freePort();
    private final int consolePort = ServiceProcess.freePort();
    private final int authGrpcPort = ServiceProcess.freePort();
    private final int storeGrpcPort = ServiceProcess.freePort();

    private Process run(Path dataDir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("suite").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SUITE_AUTH_HTTP_PORT", Integer.toString(authPort));
        env.put("SUITE_STORE_HTTP_PORT", Integer.toString(storePort));
        env.put("SUITE_BROKER_HTTP_PORT", Integer.toString(brokerPort));
        env.put("SUITE_BRIDGE_HTTP_PORT", Integer.toString(bridgePort));
        env.put("SUITE_WS_PORT", Integer.toString(wsPort));
        env.put("SUITE_CONSOLE_HTTP_PORT", Integer.toString(consolePort));
        env.put("SUITE_AUTH_GRPC_PORT", Integer.toString(authGrpcPort));
        env.put("SUITE_STORE_GRPC_PORT", Integer.toString(storeGrpcPort));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("./suite %s finished", args[0]).isTrue();
        return process;
    }

    private static String output(Process p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void suiteUp_deviceWithCredentials_persistsAcrossDownAndUp() throws Exception {
        Path data = Files.createTempDirectory("suite-it");
        MosquittoProcess mosquitto = null;
        try {
            Process up = run(data, "up", "--mqtt-port", Integer.toString(mqttPort));
            String printed = output(up);
            assertThat(up.exitValue()).as(printed).isZero();
            assertThat(printed).contains("The suite is up").contains("mqtt://127.0.0.1:" + mqttPort);
            String password = Files.readString(data.resolve("auth/admin-password")).trim();
            assertThat(printed).as("bootstrap admin credentials are printed").contains("admin / " + password);

            assertThat(Files.getPosixFilePermissions(data.resolve("auth/admin-password")))
                    .as("the generated admin password is owner-only").containsExactlyInAnyOrder(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(Files.readString(data.resolve("logs/auth-service.log"))).as("and never logged")
                    .doesNotContain(password);
            for (String key : new String[] {"ca.key", "broker.key", "auth-service.key", "retained-store-service.key"}) {
                assertThat(Files.getPosixFilePermissions(data.resolve("tls").resolve(key)))
                        .as("internal TLS key %s is owner-only", key).containsExactlyInAnyOrder(
                                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            }
            String internalCa = Files.readString(data.resolve("tls/ca.crt"));
            assertThat(Http.get(authPort, "/q/swagger-ui/").statusCode()).as("no Swagger UI in the packaged service")
                    .isEqualTo(404);
            assertThat(Http.get(authPort, "/q/openapi").statusCode()).isEqualTo(200);
            AdminClient admin = new AdminClient(authPort, "admin", password);
            admin.ok("POST", "/api/v1/roles", "{\"name\":\"demo\",\"priority\":1,\"rules\":["
                    + "{\"effect\":\"ALLOW\",\"action\":\"PUBLISH\",\"pattern\":\"demo/#\"},"
                    + "{\"effect\":\"ALLOW\",\"action\":\"SUBSCRIBE\",\"pattern\":\"demo/#\"}]}");
            admin.ok("POST", "/api/v1/users", "{\"username\":\"device1\",\"password\":\"device1-secret\","
                    + "\"roles\":[\"demo\"]}");
            Mqtt5BlockingClient device = device();
            device.publishWith().topic("demo/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("on".getBytes()).send();
            device.disconnect();

            Process status = run(data, "status");
            assertThat(status.exitValue()).isZero();
            String wsUrl = "ws://127.0.0.1:" + wsPort + "/mqtt";
            String statusText = output(status);
            assertThat(statusText).as("status prints the MQTT over WebSocket URL").contains(wsUrl);
            assertThat(statusText).as("status names the console and its URL")
                    .contains("console: http://127.0.0.1:" + consolePort);
            assertThat(printed).contains("Web console          http://127.0.0.1:" + consolePort);
            assertThat(Http.get(consolePort, "/login").statusCode()).as("the console serves its login page")
                    .isEqualTo(200);
            assertThat(printed).contains(wsUrl);
            java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .subprotocols("mqtt").buildAsync(java.net.URI.create(wsUrl), new java.net.http.WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).as("the broker serves MQTT over WebSocket").isEqualTo("mqtt");
            ws.abort();
            assertThat(run(data, "down").exitValue()).isZero();
            Process stopped = run(data, "status");
            assertThat(stopped.exitValue()).as("status after down").isNotZero();

            // up again, now with a bridge to a Mosquitto: the bridge-service joins the suite
            mosquitto = new MosquittoProcess().start();
            Path bridges = data.resolve("bridges.properties");
            Files.writeString(bridges, String.join("\n",
                    "bridge.local.username=device1",
                    "bridge.local.password=device1-secret",
                    "bridge.bridges.edge.remote.host=127.0.0.1",
                    "bridge.bridges.edge.remote.port=" + mosquitto.port(),
                    "bridge.bridges.edge.topics[0].filter=demo/#",
                    "bridge.bridges.edge.topics[0].remote-prefix=suite/", ""));
            Process upAgain = run(data, "up", "--mqtt-port", Integer.toString(mqttPort), "--bridges",
                    bridges.toString());
            String printedAgain = output(upAgain);
            assertThat(upAgain.exitValue()).as(printedAgain).isZero();
            assertThat(Files.readString(data.resolve("tls/ca.crt"))).as("the internal CA is reused by a later up")
                    .isEqualTo(internalCa);
            assertThat(printedAgain).contains("bridge-service ready").contains("Bridges");
            org.awaitility.Awaitility.await("bridge connected to both brokers").atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> Http.get(bridgePort, "/q/health/ready").statusCode() == 200);
            Mqtt5BlockingClient remote = MqttClient.builder().useMqttVersion5().identifier("suite-remote")
                    .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
            remote.connect();
            Mqtt5BlockingClient.Mqtt5Publishes bridged = dev.mqttsuite.it.support.Listen.listen(remote);
            remote.subscribeWith().topicFilter("suite/demo/live").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient again = device();
            try (var publishes = dev.mqttsuite.it.support.Listen.listen(again)) {
                again.subscribeWith().topicFilter("demo/#").send();
                assertThat(publishes.receive(10, TimeUnit.SECONDS)).as("retained state survived down/up")
                        .hasValueSatisfying(p -> assertThat(new String(p.getPayloadAsBytes())).isEqualTo("on"));
            }
            again.publishWith().topic("demo/live").qos(MqttQos.AT_LEAST_ONCE).payload("bridged".getBytes()).send();
            assertThat(bridged.receive(10, TimeUnit.SECONDS)).as("bridged to Mosquitto with the remote prefix")
                    .hasValueSatisfying(p -> assertThat(p.getTopic().toString()).isEqualTo("suite/demo/live"));
            again.disconnect();
            remote.disconnect();
            assertThat(output(run(data, "status"))).contains("bridge-service: running");
            assertThat(run(data, "down").exitValue()).isZero();
            assertThat(output(run(data, "status"))).doesNotContain("bridge-service: running");
        } finally {
            run(data, "down");
            if (mosquitto != null) {
                mosquitto.stop();
            }
        }
    }

    private Mqtt5BlockingClient device() {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("suite-device")
                .serverHost("127.0.0.1").serverPort(mqttPort).simpleAuth().username("device1")
                .password("device1-secret".getBytes()).applySimpleAuth().buildBlocking();
        client.connect();
        return client;
    }
}
