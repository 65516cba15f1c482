package dev.mqttsuite.broker.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SubscriptionOptionsTest extends BrokerTest {

    @Test
    void givenNoLocal_whenSubscriberPublishesToItsOwnFilter_thenItDoesNotReceiveIt_MQTT_3_8_3_3() throws Exception {
        String topic = unique("nolocal");
        Mqtt5BlockingClient client = mqtt5(unique("self"));
        client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(client)) {
            // acknowledged: routed before another client's message on the same topic is
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("own".getBytes()).send();
            mqtt5(unique("other")).publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("its own message is not sent back; another client's is")
                    .isEmpty();
        }
    }

    @Test
    void givenSubscriptionIdentifiers_whenOverlappingSubscriptionsMatch_thenOneCopyCarriesBothIds_MQTT_3_3_4_3()
            throws Exception {
        String base = unique("ids");
        Mqtt5BlockingClient client = mqtt5(unique("ids"));
        client.subscribeWith().topicFilter(base + "/+").qos(MqttQos.AT_MOST_ONCE).send();
        // HiveMQ's client attaches subscription identifiers itself; check through a raw client instead
        RawMqttClient raw = raw();
        raw.connect5(unique("rawids"));
        raw.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 1, 2, 0x0B, 7},
                RawMqttClient.utf8(base + "/+"), new byte[] {0})));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.SUBACK);
        raw.send(RawMqttClient.packet(0x82, RawMqttClient.concat(new byte[] {0, 2, 2, 0x0B, 9},
                RawMqttClient.utf8(base + "/#"), new byte[] {1})));
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.SUBACK);
        mqtt5(unique("pub")).publishWith().topic(base + "/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1})
                .send();
        RawMqttClient.Packet publish = raw.read();
        assertThat(publish.type()).isEqualTo(RawMqttClient.PUBLISH);
        assertThat((publish.header() >> 1) & 3).as("highest granted QoS [MQTT-3.3.4-2]").isEqualTo(1);
        String hex = java.util.HexFormat.of().formatHex(publish.body());
        assertThat(hex).as("subscription identifiers 7 and 9").contains("0b07").contains("0b09");
        raw.send(RawMqttClient.packet(0x40, new byte[] {publish.body()[2 + (base + "/x").length()],
                publish.body()[3 + (base + "/x").length()]}));
    }

    @Test
    void givenRetainHandling_thenRetainedMessagesAreSentAtSubscribeOnlyAsItSays_MQTT_3_3_1_9_to_11()
            throws Exception {
        String topic = unique("rh");
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("retained".getBytes())
                .send(); // acknowledged: stored before the subscriptions
        Mqtt5BlockingClient client = mqtt5(unique("rh"));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(client)) {
            // retained messages are queued at SUBSCRIBE, ahead of a live message published after SUBACK
            client.subscribeWith().topicFilter(topic).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes)).as("retain handling 2: none at subscribe [MQTT-3.3.1-11]")
                    .isEmpty();
            client.subscribeWith().topicFilter(topic)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
            assertThat(receivedBeforeSentinel(publishes))
                    .as("retain handling 1: only for a new subscription [MQTT-3.3.1-10]").isEmpty();
            client.subscribeWith().topicFilter(topic).retainHandling(Mqtt5RetainHandling.SEND).send();
            Optional<Mqtt5Publish> retained = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(retained).as("retain handling 0: at every subscribe [MQTT-3.3.1-9]").isPresent();
            assertThat(new String(retained.get().getPayloadAsBytes())).isEqualTo("retained");
            assertThat(retained.get().isRetain()).as("sent at subscribe with RETAIN=1 (MQTT 5.0 3.3.1.3)").isTrue();
        }
    }

    @Test
    void givenRetainAsPublished_thenLiveMessagesKeepTheirRetainFlag_otherwiseItIsCleared_MQTT_3_3_1_12()
            throws Exception {
        String topic = unique("rap");
        Mqtt5BlockingClient keeps = mqtt5(unique("keeps"));
        keeps.subscribeWith().topicFilter(topic).retainAsPublished(true).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND)
                .send();
        Mqtt5BlockingClient clears = mqtt5(unique("clears"));
        clears.subscribeWith().topicFilter(topic).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
        try (var p1 = listen(keeps); var p2 = listen(clears)) {
            mqtt5(unique("pub")).publishWith().topic(topic).retain(true).payload(new byte[] {1}).send();
            assertThat(p1.receive(5, TimeUnit.SECONDS)).get().extracting(Mqtt5Publish::isRetain).isEqualTo(true);
            assertThat(p2.receive(5, TimeUnit.SECONDS)).get().extracting(Mqtt5Publish::isRetain).isEqualTo(false);
        }
    }

    @Test
    void invalidFilters_getTopicFilterInvalid_perFilter_othersSucceed_MQTT_3_8_4_6() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("badfilter"));
        byte[] body = RawMqttClient.concat(new byte[] {0, 5, 0}, RawMqttClient.utf8("a/#/b"), new byte[] {1},
                RawMqttClient.utf8(unique("ok")), new byte[] {1}, RawMqttClient.utf8("$share//x"), new byte[] {0});
        raw.send(RawMqttClient.packet(0x82, body));
        RawMqttClient.Packet suback = raw.read();
        assertThat(suback.type()).isEqualTo(RawMqttClient.SUBACK);
        byte[] b = suback.body();
        assertThat(new int[] {b[b.length - 3] & 0xFF, b[b.length - 2] & 0xFF, b[b.length - 1] & 0xFF})
                .containsExactly(0x8F, 0x01, 0x8F);
    }

    @Test
    void invalidFilterIn311_getsSubackFailure0x80() throws Exception {
        RawMqttClient raw = raw();
        raw.connect311(unique("bad311"));
        byte[] body = RawMqttClient.concat(new byte[] {0, 5}, RawMqttClient.utf8("a/b#"), new byte[] {1});
        raw.send(RawMqttClient.packet(0x82, body));
        RawMqttClient.Packet suback = raw.read();
        assertThat(suback.body()[2] & 0xFF).isEqualTo(0x80);
    }

    @Test
    void unsubscribe_reportsSuccessAndNoSubscriptionExisted_MQTT_3_11_3_1() {
        String topic = unique("unsub");
        Mqtt5BlockingClient client = mqtt5(unique("unsub"));
        client.subscribeWith().topicFilter(topic).send();
        assertThat(client.unsubscribeWith().topicFilter(topic).send().getReasonCodes())
                .containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS);
        assertThat(client.unsubscribeWith().topicFilter(topic).send().getReasonCodes())
                .containsExactly(Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);
    }

    @Test
    void grantedQosIsReportedInSuback() {
        Mqtt5SubAck subAck = mqtt5(unique("qos")).subscribeWith().topicFilter(unique("q")).qos(MqttQos.EXACTLY_ONCE)
                .send();
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
    }
}
