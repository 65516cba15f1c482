package dev.mqttsuite.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Persistent sessions survive a graceful restart of the broker (broker.session.persistence=file), process mode: the
 * subscriptions and the QoS 1 messages queued for offline clients (MQTT 5 with a Session Expiry Interval, 3.1.1 with
 * Clean Session 0) are there after the restart [MQTT-3.1.2-5]; a session that asked for none is not.
 */
class BrokerRestartIT {

    private ServiceProcess broker;
    private int mqtt;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    private ServiceProcess start(Path data) {
        mqtt = ServiceProcess.freePort();
        return new ServiceProcess("restart-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt))
                .env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                .env("BROKER_SESSION_PERSISTENCE", "file")
                .env("BROKER_SESSION_DATA_DIR", data.toString())
                .start();
    }

    private Mqtt5BlockingClient v5(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(mqtt)
                .buildBlocking();
    }

    @Test
    void queuedQos1MessagesOfPersistentSessionsAreDeliveredAfterAGracefulRestart() throws Exception {
        Path data = Files.createTempDirectory("it-broker-sessions");
        broker = start(data);
        Mqtt5BlockingClient sub5 = v5("persistent-5");
        sub5.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub5.subscribeWith().topicFilter("orders/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub5.disconnect();
        Mqtt3BlockingClient sub3 = MqttClient.builder().useMqttVersion3().identifier("persistent-3")
                .serverHost("127.0.0.1").serverPort(mqtt).buildBlocking();
        sub3.connectWith().cleanSession(false).send();
        sub3.subscribeWith().topicFilter("orders/+").qos(MqttQos.AT_LEAST_ONCE).send();
        sub3.disconnect();
        Mqtt5BlockingClient transient5 = v5("transient-5");
        transient5.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        transient5.subscribeWith().topicFilter("orders/#").qos(MqttQos.AT_LEAST_ONCE).send();
        transient5.disconnect();

        Mqtt5BlockingClient pub = v5("publisher");
        pub.connect();
        for (int i = 0; i < 50; i++) {
            pub.publishWith().topic("orders/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(("order-" + i).getBytes())
                    .send();
        }
        pub.disconnect();

        broker.restart(); // SIGTERM: the session log ends with a snapshot; the new process recovers from it
        try (var files = Files.list(data.resolve("session-log"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the session log compacted to one snapshot")
                    .filteredOn(name -> name.startsWith("snapshot-")).hasSize(1);
        }

        Mqtt5BlockingClient back5 = v5("persistent-5");
        Mqtt5BlockingClient.Mqtt5Publishes in5 = back5.publishes(MqttGlobalPublishFilter.ALL);
        assertThat(back5.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                .isTrue();
        for (int i = 0; i < 50; i++) {
            Optional<Mqtt5Publish> got = in5.receive(10, TimeUnit.SECONDS);
            assertThat(got).as("message %d", i).isPresent();
            assertThat(got.get().getPayloadAsBytes()).asString().isEqualTo("order-" + i);
        }
        // the subscription itself came back too: a new message reaches the resumed session
        Mqtt5BlockingClient pub2 = v5("publisher-2");
        pub2.connect();
        pub2.publishWith().topic("orders/after").qos(MqttQos.AT_LEAST_ONCE).payload("after".getBytes()).send();
        assertThat(in5.receive(10, TimeUnit.SECONDS)).hasValueSatisfying(
                p -> assertThat(p.getPayloadAsBytes()).asString().isEqualTo("after"));
        back5.disconnect();
        pub2.disconnect();

        Mqtt3BlockingClient back3 = MqttClient.builder().useMqttVersion3().identifier("persistent-3")
                .serverHost("127.0.0.1").serverPort(mqtt).buildBlocking();
        var in3 = back3.publishes(MqttGlobalPublishFilter.ALL);
        assertThat(back3.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
        int got3 = 0;
        while (in3.receive(2, TimeUnit.SECONDS).isPresent()) {
            got3++;
        }
        assertThat(got3).as("50 queued + 1 after the restart").isEqualTo(51);
        back3.disconnect();

        Mqtt5BlockingClient gone = v5("transient-5");
        assertThat(gone.connectWith().cleanStart(false).send().isSessionPresent())
                .as("a session with expiry 0 ended with its connection").isFalse();
        gone.disconnect();
    }
}
