package dev.mqttsuite.broker.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Real third-party clients against the broker: Mosquitto's command-line clients (MQTT 3.1.1 and 5) and MQTT.js (over
 * TCP and over WebSocket).
 * Locally they are skipped with a message when the tools are missing; {@code .ci/run} installs them and sets
 * {@code MQTT_SUITE_REQUIRE_INTEROP=true}, which turns a missing tool into a failure.
 */
@QuarkusTest
class InteropTest extends BrokerTest {

    private static final boolean REQUIRED = "true".equals(System.getenv("MQTT_SUITE_REQUIRE_INTEROP"));

    private static void requireTool(String name, boolean present) {
        if (REQUIRED) {
            assertThat(present).as(name + " is required in CI (MQTT_SUITE_REQUIRE_INTEROP=true)").isTrue();
        }
        assumeTrue(present, name + " not installed: skipping (apt-get install mosquitto-clients; npm install in"
                + " broker-service/src/test/interop)");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String finish(Process process) throws Exception {
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s finished", process.info().command()).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code of %s, output: %s", process.info().command(), output)
                .isZero();
        return output;
    }

    @ParameterizedTest(name = "mosquitto_pub/mosquitto_sub -V {0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoClients_publishAndSubscribeWithRetainAndQos1(String version) throws Exception {
        requireTool("mosquitto_sub", onPath("mosquitto_sub"));
        String topic = unique("interop") + "/" + version;
        String port = Integer.toString(port());
        finish(start(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1", "-r",
                "-t", topic, "-m", "retained-hello")));
        Process sub = start(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1",
                "-t", topic + "/#", "-C", "2", "-v", "-W", "15"));
        // the retained message arrives at subscribe; wait for the subscription before publishing the live one
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> hasSubscriber(topic) || !sub.isAlive());
        assertThat(sub.isAlive()).as("mosquitto_sub is running: %s", sub.isAlive() ? ""
                : new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isTrue();
        finish(start(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1",
                "-t", topic + "/live", "-m", "live-hello")));
        String output = finish(sub);
        assertThat(output).contains(topic + " retained-hello").contains(topic + "/live live-hello");
    }

    private boolean hasSubscriber(String topic) {
        boolean[] found = new boolean[1];
        broker.core().routes().match(dev.mqttsuite.topic.TopicName.of(topic + "/live"),
                new dev.mqttsuite.topic.index.MatchVisitor<>() {
                    @Override
                    public void onSubscription(dev.mqttsuite.broker.session.Session s,
                            dev.mqttsuite.broker.session.SubscriptionOptions o) {
                        found[0] = true;
                    }

                    @Override
                    public void onSharedGroup(dev.mqttsuite.topic.index.SharedGroup<dev.mqttsuite.broker.session.Session,
                            dev.mqttsuite.broker.session.SubscriptionOptions> group) {
                        found[0] = true;
                    }
                });
        return found[0];
    }

    @Test
    void mosquittoRr_requestResponseWithMqtt5ResponseTopicAndCorrelationData() throws Exception {
        requireTool("mosquitto_rr", onPath("mosquitto_rr"));
        String topic = unique("rr");
        String port = Integer.toString(port());
        // a responder: mosquitto_sub prints the request, a Java MQTT 5 client answers on the response topic
        var responder = mqtt5(unique("responder"));
        responder.subscribeWith().topicFilter(topic + "/request").send();
        responder.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, request ->
                responder.toAsync().publishWith().topic(request.getResponseTopic().orElseThrow())
                        .correlationData(request.getCorrelationData().orElse(null))
                        .payload(("pong:" + new String(request.getPayloadAsBytes(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8)).send());
        String output = finish(start(List.of("mosquitto_rr", "-h", "127.0.0.1", "-p", port, "-t",
                topic + "/request", "-e", topic + "/response", "-m", "ping", "-W", "10")));
        assertThat(output.trim()).isEqualTo("pong:ping");
    }

    @Test
    void mqttJs_roundTripsInMqtt5AndMqtt311() throws Exception {
        Path dir = Path.of("src/test/interop");
        requireTool("node + MQTT.js", onPath("node") && Files.isDirectory(dir.resolve("node_modules/mqtt")));
        List<String> command = new ArrayList<>(List.of("node", dir.resolve("mqttjs-roundtrip.js").toString(),
                Integer.toString(port()), unique("mqttjs")));
        String output = finish(start(command));
        assertThat(output).contains("OK 5").contains("OK 4");
    }

    @Test
    void mqttJs_overWebSocket_roundTripsInMqtt5_311And31() throws Exception {
        Path dir = Path.of("src/test/interop");
        requireTool("node + MQTT.js", onPath("node") && Files.isDirectory(dir.resolve("node_modules/mqtt")));
        String url = "ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt";
        String output = finish(start(List.of("node", dir.resolve("mqttjs-roundtrip.js").toString(),
                Integer.toString(port()), unique("mqttjs-ws"), url)));
        assertThat(output).contains("OK 5").contains("OK 4").contains("OK 3");
    }
}
