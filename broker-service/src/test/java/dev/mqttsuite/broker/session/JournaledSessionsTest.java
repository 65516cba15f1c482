package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every persistent-session flow of {@link PersistentSessionTest} again with the write-ahead session log in the path
 * (acknowledgements wait for its group commit; QoS 2 PUBLISH, PUBREL and PUBCOMP wait for their records), plus the
 * refusals it adds.
 */
@QuarkusTest
@TestProfile(JournaledSessionsTest.SessionLog.class)
class JournaledSessionsTest extends PersistentSessionTest {

    static final int QUEUE_LIMIT = 50;

    public static class SessionLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("broker.session.persistence", "file",
                        "broker.session.data-dir", Files.createTempDirectory("session-log-test").toString(),
                        "broker.session.max-queued-messages", Integer.toString(QUEUE_LIMIT),
                        "broker.session.queue-overflow", "refuse",
                        "broker.session.backpressure-high-watermark", "40",
                        "broker.session.backpressure-low-watermark", "10");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void qos2BetweenAPersistentPublisherAndAPersistentSubscriberDeliversEachMessageOnce() throws Exception {
        String topic = unique("exactly-once");
        Mqtt5BlockingClient subscriber = mqtt5Builder(unique("sub")).buildBlocking();
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        onCleanup(subscriber::disconnect);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(subscriber)) {
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient publisher = mqtt5Builder(unique("pub")).buildBlocking();
            publisher.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
            onCleanup(publisher::disconnect);
            for (int i = 0; i < 30; i++) {
                Mqtt5PublishResult result = publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
                assertThat(result.getError()).isEmpty();
            }
            Set<String> received = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).as("message %d", i).isPresent();
                assertThat(p.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
                assertThat(received.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8)))
                        .as("no duplicate at QoS 2").isTrue();
            }
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void whenEveryRecipientQueueIsFullUnderRefuseThePublisherGetsQuotaExceededNotASuccess() {
        String topic = unique("full");
        Mqtt5BlockingClient subscriber = mqtt5Builder(unique("sub")).buildBlocking();
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        onCleanup(publisher::disconnect);
        for (int i = 0; i < QUEUE_LIMIT; i++) {
            Mqtt5PublishResult result = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {(byte) i}).send();
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThatThrownBy(() -> publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send())
                .as("queue-overflow=refuse: 0x97 instead of an acknowledgement for a dropped message")
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));
        assertThatThrownBy(() -> publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE)
                .payload(new byte[] {2}).send())
                .isInstanceOfSatisfying(Mqtt5PubRecException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubRecReasonCode.QUOTA_EXCEEDED));
        assertThat(scrape().value("mqtt_session_messages_dropped_total")).isGreaterThanOrEqualTo(2);
    }
}
