package dev.mqttsuite.broker.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PublishFlowTest extends BrokerTest {

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(MqttQos.class)
    void givenSubscriber_whenPublishingAtEachQos_thenMessageArrivesAtThatQos(MqttQos qos) throws Exception {
        String topic = unique("flow") + "/a";
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(subscriber)) {
            Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
            publisher.publishWith().topic(topic).qos(qos).payload("hello".getBytes(StandardCharsets.UTF_8)).send();
            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(received.get().getQos()).isEqualTo(qos);
        }
    }

    @Test
    void givenNoSubscriber_whenPublishingQos1_thenPubackSaysNoMatchingSubscribers() {
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        Mqtt5PublishResult result = publisher.publishWith().topic(unique("nobody")).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send();
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void givenSubscriptionAtQos0_whenPublishingQos2_thenDeliveredDowngradedToQos0_MQTT_3_8_4_8() throws Exception {
        String topic = unique("downgrade");
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(subscriber)) {
            mqtt5(unique("pub")).publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(new byte[] {7}).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(Mqtt5Publish::getQos).isEqualTo(MqttQos.AT_MOST_ONCE);
        }
    }
}
