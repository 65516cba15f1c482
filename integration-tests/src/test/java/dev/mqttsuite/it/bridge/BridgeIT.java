package dev.mqttsuite.it.bridge;

import static dev.mqttsuite.it.support.Listen.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Closer;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.MosquittoProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge-service between our broker and a real Mosquitto 2.0 (all three as processes): remapped topics both
 * ways, no loop on a two-way bridge over the same topics, QoS 1 messages published while Mosquitto is down arrive
 * after it restarts, and a bad configuration fails startup naming the setting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeIT {

    private static MosquittoProcess mosquitto;
    private static ServiceProcess broker;
    private static ServiceProcess bridge;
    private static int mqtt;

    @BeforeAll
    static void start() throws IOException {
        mosquitto = new MosquittoProcess().start();
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("bridge-it-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt))
                .env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                .start();
        bridge = bridgeProcess("bridge-it", String.join("\n",
                "bridge.local.port=" + mqtt,
                "bridge.reconnect.initial-delay=200ms",
                "bridge.reconnect.max-delay=1s",
                // out: sensors/# here -> site1/sensors/# there; in: site1/cmd/# there -> cmd/# here
                "bridge.bridges.edge.remote.host=127.0.0.1",
                "bridge.bridges.edge.remote.port=" + mosquitto.port(),
                "bridge.bridges.edge.topics[0].filter=sensors/#",
                "bridge.bridges.edge.topics[0].direction=out",
                "bridge.bridges.edge.topics[0].remote-prefix=site1/",
                "bridge.bridges.edge.topics[1].filter=cmd/#",
                "bridge.bridges.edge.topics[1].direction=in",
                "bridge.bridges.edge.topics[1].remote-prefix=site1/",
                // the same topics both ways
                "bridge.bridges.mirror.remote.host=127.0.0.1",
                "bridge.bridges.mirror.remote.port=" + mosquitto.port(),
                "bridge.bridges.mirror.direction=both",
                "bridge.bridges.mirror.topics[0].filter=shared/#",
                // out only, used while Mosquitto is down
                "bridge.bridges.outage.remote.host=127.0.0.1",
                "bridge.bridges.outage.remote.port=" + mosquitto.port(),
                "bridge.bridges.outage.topics[0].filter=queue/#",
                "bridge.bridges.outage.topics[0].remote-prefix=outage/",
                "")).start();
    }

    private static ServiceProcess bridgeProcess(String name, String properties) throws IOException {
        Path file = Files.createTempFile("bridges", ".properties");
        Files.writeString(file, properties);
        return new ServiceProcess(name, "bridge-service").env("QUARKUS_CONFIG_LOCATIONS", file.toString());
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(bridge, broker, mosquitto);
    }

    private static Mqtt5BlockingClient ours(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(mqtt).buildBlocking();
        c.connect();
        return c;
    }

    private static Mqtt5BlockingClient mosquittoClient(String id, boolean persistent) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        c.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send();
        return c;
    }

    /** The client's incoming messages, once it subscribed to {@code filter} at QoS 1. */
    private static Mqtt5BlockingClient.Mqtt5Publishes subscribed(Mqtt5BlockingClient client, String filter) {
        Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(client);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return publishes;
    }

    private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes publishes, Duration quiet)
            throws InterruptedException {
        List<String> got = new ArrayList<>();
        Optional<Mqtt5Publish> p;
        while ((p = publishes.receive(quiet.toMillis(), TimeUnit.MILLISECONDS)).isPresent()) {
            got.add(p.get().getTopic() + "=" + new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        return got;
    }

    @Test
    @Order(1)
    void messagesCrossInBothDirectionsWithTheirTopicsRemapped() throws Exception {
        Mqtt5BlockingClient remoteSub = mosquittoClient("it-remote-sub", false);
        Mqtt5BlockingClient.Mqtt5Publishes atRemote = subscribed(remoteSub, "site1/sensors/#");
        Mqtt5BlockingClient localSub = ours("it-local-sub");
        Mqtt5BlockingClient.Mqtt5Publishes atLocal = subscribed(localSub, "cmd/#");

        Mqtt5BlockingClient localPub = ours("it-local-pub");
        localPub.publishWith().topic("sensors/t1").payload("21.5".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> out = atRemote.receive(10, TimeUnit.SECONDS);
        assertThat(out).as("sensors/t1 reaches Mosquitto as site1/sensors/t1").isPresent();
        assertThat(out.get().getTopic().toString()).isEqualTo("site1/sensors/t1");
        assertThat(out.get().getPayloadAsBytes()).asString().isEqualTo("21.5");

        Mqtt5BlockingClient remotePub = mosquittoClient("it-remote-pub", false);
        remotePub.publishWith().topic("site1/cmd/valve").payload("open".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> in = atLocal.receive(10, TimeUnit.SECONDS);
        assertThat(in).as("site1/cmd/valve reaches our broker as cmd/valve").isPresent();
        assertThat(in.get().getTopic().toString()).isEqualTo("cmd/valve");
        assertThat(in.get().getPayloadAsBytes()).asString().isEqualTo("open");

        // topics outside the rules stay where they are
        localPub.publishWith().topic("other/t1").payload("x".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(drain(atRemote, Duration.ofMillis(500))).isEmpty();
        // counted when the target's PUBACK reaches the bridge, which may be after the subscriber got the message
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Http.metric(bridge.httpPort(), "bridge_forwarded_total", "bridge=\"edge\"",
                    "direction=\"out\"")).isGreaterThanOrEqualTo(1);
            assertThat(Http.metric(bridge.httpPort(), "bridge_forwarded_total", "bridge=\"edge\"",
                    "direction=\"in\"")).isGreaterThanOrEqualTo(1);
        });
        for (Mqtt5BlockingClient c : List.of(remoteSub, localSub, localPub, remotePub)) {
            c.disconnect();
        }
    }

    @Test
    @Order(2)
    void aTwoWayBridgeOverTheSameTopicsDoesNotEchoMessagesBack() throws Exception {
        Mqtt5BlockingClient remoteSub = mosquittoClient("it-mirror-remote", false);
        Mqtt5BlockingClient.Mqtt5Publishes atRemote = subscribed(remoteSub, "shared/#");
        Mqtt5BlockingClient localSub = ours("it-mirror-local");
        Mqtt5BlockingClient.Mqtt5Publishes atLocal = subscribed(localSub, "shared/#");

        Mqtt5BlockingClient localPub = ours("it-mirror-local-pub");
        Mqtt5BlockingClient remotePub = mosquittoClient("it-mirror-remote-pub", false);
        for (int i = 0; i < 20; i++) {
            localPub.publishWith().topic("shared/a").payload(("from-local-" + i).getBytes())
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            remotePub.publishWith().topic("shared/b").payload(("from-remote-" + i).getBytes())
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        }
        // Each side sees each of the 40 messages exactly once; an echo would show as a repeat (or, in a real loop,
        // as an endless stream). 2 s of silence after the last one ends the drain.
        List<String> local = drain(atLocal, Duration.ofSeconds(2));
        List<String> remote = drain(atRemote, Duration.ofSeconds(2));
        assertThat(local).hasSize(40).doesNotHaveDuplicates();
        assertThat(remote).hasSize(40).doesNotHaveDuplicates();
        assertThat(local).containsAll(remote);
        // the echoes were there and were recognised: 20 from Mosquitto, 20 from our broker
        assertThat(Http.metric(bridge.httpPort(), "bridge_loops_suppressed_total", "bridge=\"mirror\"",
                "direction=\"in\"")).isEqualTo(20);
        assertThat(Http.metric(bridge.httpPort(), "bridge_loops_suppressed_total", "bridge=\"mirror\"",
                "direction=\"out\"")).isEqualTo(20);
        for (Mqtt5BlockingClient c : List.of(remoteSub, localSub, localPub, remotePub)) {
            c.disconnect();
        }
    }

    @Test
    @Order(3)
    void qos1MessagesPublishedWhileMosquittoIsDownArriveAfterItRestarts() throws Exception {
        // a persistent subscriber on Mosquitto, offline during the outage
        Mqtt5BlockingClient remoteSub = mosquittoClient("it-outage-sub", true);
        remoteSub.subscribeWith().topicFilter("outage/queue/#").qos(MqttQos.AT_LEAST_ONCE).send();
        remoteSub.disconnect();

        mosquitto.stop();
        await("readiness down while a required remote is unreachable").atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(bridge.httpPort(), "/q/health/ready").statusCode() == 503);
        assertThat(Http.get(bridge.httpPort(), "/q/health/ready").body()).contains("outage.remote", "disconnected");

        Mqtt5BlockingClient localPub = ours("it-outage-pub");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String payload = "m-" + i + "-" + UUID.randomUUID();
            // acknowledged by our broker: from here on the suite owns the message
            localPub.publishWith().topic("queue/" + (i % 7)).payload(payload.getBytes()).qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            sent.add(payload);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.metric(bridge.httpPort(), "bridge_buffered",
                "bridge=\"outage\"", "direction=\"out\"") == 300);

        mosquitto.start();
        await("readiness back").atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(bridge.httpPort(), "/q/health/ready").statusCode() == 200);
        await("buffer drained").atMost(Duration.ofSeconds(20)).until(() -> Http.metric(bridge.httpPort(),
                "bridge_buffered", "bridge=\"outage\"", "direction=\"out\"") == 0);
        assertThat(Http.metric(bridge.httpPort(), "bridge_reconnects_total", "bridge=\"outage\"",
                "side=\"remote\"")).isGreaterThanOrEqualTo(1);

        Mqtt5BlockingClient back = MqttClient.builder().useMqttVersion5().identifier("it-outage-sub")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        Set<String> received = new HashSet<>();
        for (String m : drain(publishes, Duration.ofSeconds(3))) {
            received.add(m.substring(m.indexOf('=') + 1));
        }
        assertThat(received).as("every acknowledged QoS 1 message arrives (at least once)").containsAll(sent);
        back.disconnect();
        localPub.disconnect();
    }

    @Test
    @Order(4)
    void aBadConfigurationFailsStartupNamingTheSetting() throws Exception {
        assertStartupFails("bridge-bad-direction", String.join("\n",
                "bridge.bridges.x.remote.host=127.0.0.1",
                "bridge.bridges.x.direction=sideways",
                "bridge.bridges.x.topics[0].filter=a/#"), "bridge.bridges.x.direction");
        assertStartupFails("bridge-bad-filter", String.join("\n",
                "bridge.bridges.y.remote.host=127.0.0.1",
                "bridge.bridges.y.topics[0].filter=a/#/b"), "bridge.bridges.y.topics[0]");
        assertStartupFails("bridge-no-host", String.join("\n",
                "bridge.bridges.z.topics[0].filter=a/#"), "bridge.bridges.z.remote.host is required");
    }

    private static void assertStartupFails(String name, String properties, String expected) throws IOException {
        Path log = Path.of("target/it-logs", name + ".log");
        Files.deleteIfExists(log);
        ServiceProcess bad = bridgeProcess(name, properties);
        try {
            assertThatThrownBy(bad::start).hasMessageContaining("exited");
        } finally {
            bad.stop();
        }
        assertThat(Files.readString(log)).contains(expected);
    }
}
