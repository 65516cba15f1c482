package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
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
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0]).send();
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        try (var publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(topic).send();
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void retainedMessage_replacesThePreviousOne_andExpiredOnesAreNotDelivered_MQTT_3_3_2_5() throws Exception {
        String topic = unique("replace");
        String expiring = unique("expiring");
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("old".getBytes()).send();
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("new".getBytes()).send();
        publisher.publishWith().topic(expiring).retain(true).qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1).payload("x".getBytes()).send();
        // let the one-second expiry interval pass (the interval itself is what is tested)
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(1100)).until(() -> true);
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        try (var publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(topic).send();
            subscriber.subscribeWith().topicFilter(expiring).send();
            Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(p).isPresent();
            assertThat(new String(p.get().getPayloadAsBytes())).isEqualTo("new");
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }
}
