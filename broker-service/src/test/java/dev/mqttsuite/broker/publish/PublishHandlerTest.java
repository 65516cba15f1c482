package dev.mqttsuite.broker.publish;

import static dev.mqttsuite.broker.support.CoreFixture.transport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.retained.RetainedStore;
import dev.mqttsuite.broker.support.CoreFixture;
import dev.mqttsuite.broker.support.RecordingTransport;
import dev.mqttsuite.topic.TopicFilter;
import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Multi;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** PUBLISH handling without Netty: acknowledgements, reason codes, QoS 2 exactly-once, limits. */
class PublishHandlerTest {

    private CoreFixture core = new CoreFixture();

    private PublishHandler handler() {
        return new PublishHandler(core.publisher, core.disconnector, core.metrics, core.config.limits());
    }

    /** A retained store whose every put completes with {@code answer} (pending until the test completes it). */
    private static RetainedStore answering(CompletableFuture<Void> answer) {
        return new RetainedStore() {
            @Override
            public CompletionStage<Void> put(Message message) {
                return answer;
            }

            @Override
            public Multi<Message> match(TopicFilter filter) {
                return Multi.createFrom().empty();
            }

            @Override
            public long count() {
                return 0;
            }

            @Override
            public String describe() {
                return "answering";
            }
        };
    }

    private static MqttPublishMessage publish(String topic, int qos, int packetId, boolean retain,
            MqttProperties props) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), retain,
                0), new MqttPublishVariableHeader(topic, packetId, props), Unpooled.wrappedBuffer(new byte[] {1, 2}));
    }

    private static MqttPublishMessage publish(String topic, int qos, int packetId) {
        return publish(topic, qos, packetId, false, MqttProperties.NO_PROPERTIES);
    }

    /** The reason code of the last PUBACK/PUBREC/DISCONNECT written (0 for the short form). */
    private static int lastReason(RecordingTransport transport, MqttMessageType type) {
        var packets = transport.written(type);
        assertThat(packets).as(type + " written").isNotEmpty();
        MqttMessage last = packets.get(packets.size() - 1);
        if (last.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        if (last.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
            return reason.reasonCode() & 0xFF;
        }
        return 0;
    }

    @Test
    void qos1WithAMatchingSubscriber_isQueuedForItAndAcknowledgedWithSuccess_MQTT_4_3_2() {
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "a/+", 1);
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);

        handler().handle(publisher, publish("a/b", 1, 7));

        assertThat(lastReason(transport(publisher), MqttMessageType.PUBACK)).isEqualTo(0x00);
        transport(subscriber).runPending(); // the subscriber's loop drains its queue
        assertThat(transport(subscriber).written(MqttMessageType.PUBLISH)).hasSize(1);
        assertThat(publisher.inboundWindow().unacknowledged()).as("PUBACK frees the slot").isZero();
    }

    @Test
    void qos1WithoutSubscribers_mqtt5GetsNoMatchingSubscribers0x10() {
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        handler().handle(publisher, publish("nobody/here", 1, 1));
        assertThat(lastReason(transport(publisher), MqttMessageType.PUBACK)).isEqualTo(0x10);
    }

    @Test
    void qos1WithoutSubscribers_mqtt311GetsAPlainPuback() {
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_3_1_1, Permissions.ALL);
        handler().handle(publisher, publish("nobody/here", 1, 1));
        assertThat(transport(publisher).written(MqttMessageType.PUBACK)).hasSize(1);
        assertThat(lastReason(transport(publisher), MqttMessageType.PUBACK)).isZero();
    }

    @Test
    void resentQos2Publish_isAcknowledgedAgainButRoutedOnce_MQTT_4_3_3_10() {
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "q2", 2);
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);

        handler().handle(publisher, publish("q2", 2, 9));
        handler().handle(publisher, publish("q2", 2, 9)); // DUP resend before PUBREL

        assertThat(transport(publisher).written(MqttMessageType.PUBREC)).hasSize(2);
        assertThat(subscriber.session().queuedMessages()).as("routed once").isEqualTo(1);
        assertThat(publisher.inboundWindow().unacknowledged()).as("the first copy holds one slot").isEqualTo(1);
    }

    @Test
    void moreUnacknowledgedQos2ThanTheReceiveMaximum_disconnectsWith0x93_MQTT_3_3_4_9() {
        core = new CoreFixture(Map.of("broker.limits.receive-maximum", "3"), new InMemoryRetainedStore());
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        for (int id = 1; id <= 3; id++) {
            handler().handle(publisher, publish("t", 2, id));
        }
        assertThat(transport(publisher).closed()).isFalse();

        handler().handle(publisher, publish("t", 2, 4));

        assertThat(lastReason(transport(publisher), MqttMessageType.DISCONNECT)).isEqualTo(0x93);
        assertThat(transport(publisher).closed()).isTrue();
    }

    @Test
    void qos1PublishesCountAgainstTheReceiveMaximumUntilTheirPubackIsSent_MQTT_3_3_4_9() {
        CompletableFuture<Void> slowStore = new CompletableFuture<>();
        core = new CoreFixture(Map.of("broker.limits.receive-maximum", "2"), answering(slowStore));
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        handler().handle(publisher, publish("r", 1, 1, true, MqttProperties.NO_PROPERTIES));
        handler().handle(publisher, publish("r", 1, 2, true, MqttProperties.NO_PROPERTIES));
        assertThat(transport(publisher).written(MqttMessageType.PUBACK)).isEmpty();

        handler().handle(publisher, publish("r", 1, 3, true, MqttProperties.NO_PROPERTIES));

        assertThat(lastReason(transport(publisher), MqttMessageType.DISCONNECT)).isEqualTo(0x93);
    }

    @Test
    void retainedPublishIsAcknowledgedOnlyAfterTheStoreAccepted_andRefusedWith0x83WhenItFails() {
        CompletableFuture<Void> store = new CompletableFuture<>();
        core = new CoreFixture(Map.of(), answering(store));
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        handler().handle(publisher, publish("r", 1, 5, true, MqttProperties.NO_PROPERTIES));
        transport(publisher).runPending();
        assertThat(transport(publisher).written(MqttMessageType.PUBACK)).as("not before the store answers").isEmpty();

        store.completeExceptionally(new IllegalStateException("store down"));
        transport(publisher).runPending();

        assertThat(lastReason(transport(publisher), MqttMessageType.PUBACK)).isEqualTo(0x83);
        assertThat(publisher.inboundWindow().unacknowledged()).isZero();
    }

    @Test
    void publishWithoutPermission_getsNotAuthorized0x87AndReachesNobody() {
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "#", 1);
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.NONE);

        handler().handle(publisher, publish("secret", 1, 3));

        assertThat(lastReason(transport(publisher), MqttMessageType.PUBACK)).isEqualTo(0x87);
        assertThat(subscriber.session().queuedMessages()).isZero();
    }

    @Test
    void qosAboveTheBrokerMaximum_disconnectsWith0x9B_MQTT_3_2_2_11() {
        core = new CoreFixture(Map.of("broker.limits.max-qos", "1"), new InMemoryRetainedStore());
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        handler().handle(publisher, publish("t", 2, 1));
        assertThat(lastReason(transport(publisher), MqttMessageType.DISCONNECT)).isEqualTo(0x9B);
    }

    @Test
    void unknownTopicAliasWithAnEmptyTopic_isAProtocolError0x82() {
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(), 5));
        handler().handle(publisher, publish("", 0, 0, false, props));
        assertThat(lastReason(transport(publisher), MqttMessageType.DISCONNECT)).isEqualTo(0x82);
    }

    @Test
    void topicAliasIsRememberedAndResolvesLaterPublishes_MQTT_3_3_2_12() {
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "long/topic/name", 0);
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        MqttProperties alias = new MqttProperties();
        alias.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(), 1));

        handler().handle(publisher, publish("long/topic/name", 0, 0, false, alias));
        handler().handle(publisher, publish("", 0, 0, false, alias));

        assertThat(subscriber.session().queuedMessages()).isEqualTo(2);
        assertThat(transport(publisher).closed()).isFalse();
    }

    @Test
    void retainedEmptyPayloadDeletesTheRetainedMessage_MQTT_3_3_1_6() {
        InMemoryRetainedStore store = new InMemoryRetainedStore();
        core = new CoreFixture(Map.of(), store);
        MqttConnection publisher = core.connected("pub", MqttVersion.MQTT_5, Permissions.ALL);
        handler().handle(publisher, publish("kept", 0, 0, true, MqttProperties.NO_PROPERTIES));
        assertThat(store.count()).isEqualTo(1);

        handler().handle(publisher, new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
                MqttQoS.AT_MOST_ONCE, true, 0), new MqttPublishVariableHeader("kept", 0, MqttProperties.NO_PROPERTIES),
                Unpooled.EMPTY_BUFFER));

        assertThat(store.count()).isZero();
        assertThat(store.match(TopicFilter.of("#")).collect().asList().await().indefinitely()).isEmpty();
    }
}
