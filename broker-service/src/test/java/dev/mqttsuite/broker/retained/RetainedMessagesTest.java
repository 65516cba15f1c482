package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RetainedMessagesTest extends BrokerTest {

    @Test
    void givenRetainedMessages_whenSubscribingWithWildcard_thenAllMatchingAreDelivered_noTruncation()
            throws Exception {
        String base = unique("ret");
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        int count = 3000; // more than the back-pressure batch and more than peers' fixed caps
        for (int i = 0; i < count; i++) {
            publisher.publishWith().topic(base + "/dev" + i + "/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {(byte) i}).send();
        }
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        try (var publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(base + "/+/state").qos(MqttQos.AT_LEAST_ONCE).send();
            Set<String> topics = new HashSet<>();
            for (int i = 0; i < count; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).as("retained message %d of %d", i, count).isPresent();
                assertThat(p.get().isRetain()).isTrue();
                topics.add(p.get().getTopic().toString());
            }
            assertThat(topics).hasSize(count);
        }
    }

    @Test
    void givenRetainedMessage_whenEmptyRetainedPayloadIsPublished_thenItIsDeleted_MQTT_3_3_1_6() throws Exception {
        String topic = unique("del");
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        double retainedBefore = retainedCount();
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertThat(retainedCount() - retainedBefore).as("stored").isEqualTo(1);
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0]).send();
        assertThat(retainedCount() - retainedBefore).as("deleted, and the empty one not stored [MQTT-3.3.1-7]")
                .isZero();
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        try (var publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(topic).send();
            // retained messages are queued at SUBSCRIBE, ahead of a live message published after SUBACK
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("nothing retained is sent").isEmpty();
        }
    }

    @Test
    void retainedMessage_replacesThePreviousOne_andExpiredOnesAreNotDelivered_MQTT_3_3_1_5_MQTT_3_3_2_5()
            throws Exception {
        String topic = unique("replace");
        String expiring = unique("expiring");
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        double retainedBefore = retainedCount();
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("old".getBytes()).send();
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("new".getBytes()).send();
        publisher.publishWith().topic(expiring).retain(true).qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1)
                .payload("x".getBytes()).send();
        // the broker started the one-second interval when it received the message, before it acknowledged it
        long expiredAfter = System.currentTimeMillis() + 1000;
        assertThat(retainedCount() - retainedBefore).as("'new' replaced 'old'; 'x' is stored").isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiredAfter);

        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        try (var publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(topic).send();
            subscriber.subscribeWith().topicFilter(expiring).send();
            publisher.publishWith().topic(expiring).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("only the latest, unexpired retained message")
                    .containsExactly(topic + " new");
        }
        assertThat(retainedCount() - retainedBefore).as("the expired one is gone from the store").isEqualTo(1);
    }

    private double retainedCount() {
        return scrape().value("mqtt_retained_messages");
    }
}
