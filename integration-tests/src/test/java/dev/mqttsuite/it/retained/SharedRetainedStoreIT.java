package dev.mqttsuite.it.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.it.support.RetainedStack;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
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
 * Two brokers delegate retained messages to one retained-store-service, all as processes: a retained message
 * published through one broker reaches a subscriber of the other; an acknowledged retained publish survives kill -9
 * of the store; while the store is down, retained publishes are refused (never pretended saved) and live routing goes
 * on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedRetainedStoreIT {

    private static ServiceProcess store;
    private static ServiceProcess brokerA;
    private static ServiceProcess brokerB;
    private static int mqttA;
    private static int mqttB;
    private static Path dataDir;

    @BeforeAll
    static void startSuite() throws Exception {
        dataDir = Files.createTempDirectory("it-retained");
        store = newStore().start();
        mqttA = ServiceProcess.freePort();
        mqttB = ServiceProcess.freePort();
        brokerA = broker("broker-a", mqttA).start();
        brokerB = broker("broker-b", mqttB).start();
    }

    private static ServiceProcess newStore() {
        return new ServiceProcess("retained-store", "retained-store-service")
                .env("RETAINED_DATA_DIR", dataDir.toString())
                .env("RETAINED_ADMIN_PASSWORD", "it-password");
    }

    private static ServiceProcess broker(String name, int mqttPort) {
        return RetainedStack.broker(name, mqttPort, store.grpcPort());
    }

    @AfterAll
    static void stopSuite() {
        for (ServiceProcess p : new ServiceProcess[] {brokerA, brokerB, store}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private static Mqtt5BlockingClient client(int port) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("it-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        c.connect();
        return c;
    }

    @Test
    @Order(1)
    void retainedPublishedOnBrokerA_isDeliveredToASubscriberOfBrokerB() throws Exception {
        Mqtt5BlockingClient publisher = client(mqttA);
        publisher.publishWith().topic("it/shared/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .contentType("text/plain").payload("on".getBytes()).send();
        Mqtt5BlockingClient subscriber = client(mqttB);
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(subscriber)) {
            subscriber.subscribeWith().topicFilter("it/shared/#").send();
            Optional<Mqtt5Publish> retained = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(retained).isPresent();
            assertThat(retained.get().isRetain()).isTrue();
            assertThat(new String(retained.get().getPayloadAsBytes())).isEqualTo("on");
            assertThat(retained.get().getContentType().map(Object::toString)).hasValue("text/plain");
        }
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    @Order(2)
    void manyRetainedMessages_streamToOneSubscriber_withoutTruncation() throws Exception {
        Mqtt5BlockingClient publisher = client(mqttA);
        int count = 5000;
        var async = publisher.toAsync();
        java.util.List<java.util.concurrent.CompletableFuture<?>> acks = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(async.publishWith().topic("it/bulk/" + i).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("v" + i).getBytes()).send());
        }
        java.util.concurrent.CompletableFuture.allOf(acks.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(60, TimeUnit.SECONDS);
        Mqtt5BlockingClient subscriber = client(mqttB);
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(subscriber)) {
            subscriber.subscribeWith().topicFilter("it/bulk/+").qos(MqttQos.AT_LEAST_ONCE).send();
            Set<String> topics = new HashSet<>();
            while (topics.size() < count) {
                Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(p).as("retained %d of %d", topics.size(), count).isPresent();
                topics.add(p.get().getTopic().toString());
            }
        }
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    @Order(3)
    void acknowledgedRetainedPublish_survivesKillNineOfTheStore() throws Exception {
        Mqtt5BlockingClient publisher = client(mqttA);
        publisher.publishWith().topic("it/durable/x").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("kept".getBytes()).send(); // returns after PUBACK: the store acknowledged it
        publisher.disconnect();
        store.kill();
        store.restart(); // same data directory and port: the brokers reconnect on their own
        Mqtt5BlockingClient subscriber = client(mqttB);
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(subscriber)) {
            subscriber.subscribeWith().topicFilter("it/durable/#").send();
            Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(p).isPresent();
            assertThat(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
        subscriber.disconnect();
    }

    @Test
    @Order(4)
    void storeDown_retainedPublishIsRefused_liveRoutingContinues() throws Exception {
        store.kill();
        Mqtt5BlockingClient subscriber = client(mqttB);
        subscriber.subscribeWith().topicFilter("it/down/#").send();
        Mqtt5BlockingClient publisher = client(mqttB);
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(subscriber)) {
            assertThatThrownBy(() -> publisher.publishWith().topic("it/down/r").retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).payload("r".getBytes()).send())
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(
                                    Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR));
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).as("the retained message still reached live"
                    + " subscribers").isPresent();
            publisher.publishWith().topic("it/down/live").qos(MqttQos.AT_LEAST_ONCE).payload("l".getBytes()).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).isPresent();
        }
        publisher.disconnect();
        subscriber.disconnect();
    }
}
