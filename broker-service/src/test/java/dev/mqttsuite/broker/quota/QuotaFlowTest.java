package dev.mqttsuite.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rate limits and quotas end to end with real clients (ADR 0013). Every test uses its own user name. */
@QuarkusTest
@TestProfile(QuotaFlowTest.Limited.class)
class QuotaFlowTest extends BrokerTest {

    static final int RATE = 5;

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.quota.max-connections-per-user", "2",
                    "broker.quota.client-messages-per-second", Integer.toString(RATE),
                    "broker.limits.max-subscriptions-per-session", "3");
        }
    }

    private Mqtt5BlockingClient connect5(String clientId, String user) {
        Mqtt5BlockingClient client = mqtt5Builder(clientId).simpleAuth().username(user).applySimpleAuth()
                .buildBlocking();
        client.connect();
        onCleanup(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    @Test
    void connectionAboveTheUsersMaximum_getsConnack0x97QuotaExceeded_otherUsersConnect() {
        String user = unique("user");
        connect5(unique("a"), user);
        connect5(unique("b"), user);
        Mqtt5BlockingClient third = mqtt5Builder(unique("c")).simpleAuth().username(user).applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(third::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED));
        connect5(unique("d"), unique("other-user"));
        assertThat(scrape().value("mqtt_quota_exceeded_total", "kind=\"connections_per_user\"")).isPositive();
    }

    @Test
    void mqtt311ConnectionAboveTheUsersMaximum_getsReturnCode3ServerUnavailable() {
        String user = unique("user311");
        connect5(unique("a"), user);
        connect5(unique("b"), user);
        Mqtt3BlockingClient third = MqttClient.builder().useMqttVersion3().identifier(unique("c"))
                .serverHost("127.0.0.1").serverPort(port()).simpleAuth().username(user).applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(third::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE));
    }

    @Test
    void aClosedConnection_givesItsPlaceBack_andATakeoverOfTheSameClientIdIsNotRefused() {
        String user = unique("user");
        String clientId = unique("a");
        connect5(clientId, user);
        Mqtt5BlockingClient second = connect5(unique("b"), user);
        connect5(clientId, user); // takeover at the maximum: counted once
        second.disconnect();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            connect5(unique("c"), user);
            return true;
        });
    }

    @Test
    void subscriptionsAboveTheSessionsMaximum_getSuback0x97ForTheExcessFilters() {
        Mqtt5BlockingClient client = connect5(unique("sub"), unique("user"));
        String base = unique("s");
        var codes = catchSubAck(() -> client.subscribeWith()
                .addSubscription().topicFilter(base + "/1").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(base + "/2").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(base + "/3").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(base + "/4").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(base + "/5").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send());
        assertThat(codes).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.QUOTA_EXCEEDED,
                Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(scrape().value("mqtt_quota_exceeded_total", "kind=\"subscriptions\"")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void mqtt5Qos1AboveTheClientsMessageRate_getsPuback0x97() {
        Mqtt5BlockingClient client = connect5(unique("pub"), unique("user"));
        String topic = unique("rate");
        List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 20 * RATE; i++) { // pipelined: all 100 would need 20 s to pass at 5/s
            results.add(client.toAsync().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send());
        }
        List<Mqtt5PubAckReasonCode> codes = results.stream().map(QuotaFlowTest::pubAckCode).toList();
        assertThat(codes.get(0)).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(codes).contains(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(client.getState().isConnected()).isTrue();
        assertThat(scrape().value("mqtt_quota_exceeded_total", "kind=\"message_rate\"")).isPositive();
    }

    /** The PUBACK's reason code; HiveMQ's client completes an error code exceptionally. */
    private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> result) {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result.join()).getPubAck().getReasonCode();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    /** The SUBACK's reason codes; HiveMQ's blocking client throws when one is an error. */
    private static List<Mqtt5SubAckReasonCode> catchSubAck(java.util.function.Supplier<Mqtt5SubAck> subscribe) {
        try {
            return subscribe.get().getReasonCodes();
        } catch (Mqtt5SubAckException refused) {
            return refused.getMqttMessage().getReasonCodes();
        }
    }

    @Test
    void mqtt311AboveTheClientsMessageRate_isThrottledNotRefused_everyPublishAcknowledgedAtTheRate()
            throws Exception {
        RawMqttClient raw = raw();
        String user = unique("user");
        byte[] connect = RawMqttClient.packet(0x10, RawMqttClient.concat(RawMqttClient.utf8("MQTT"),
                new byte[] {4, (byte) 0x82, 0, 60}, RawMqttClient.utf8(unique("raw")), RawMqttClient.utf8(user)));
        raw.send(connect);
        assertThat(raw.read().type()).isEqualTo(RawMqttClient.CONNACK);
        int count = 3 * RATE;
        long start = System.nanoTime();
        for (int id = 1; id <= count; id++) {
            raw.send(RawMqttClient.packet(0x32, RawMqttClient.concat(RawMqttClient.utf8("throttle"),
                    new byte[] {0, (byte) id}, "x".getBytes(StandardCharsets.UTF_8))));
        }
        for (int i = 0; i < count; i++) {
            assertThat(raw.read().type()).as("every PUBLISH acknowledged: throttled, not dropped")
                    .isEqualTo(RawMqttClient.PUBACK);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 15 at 5/s with a burst of 5: at least 2 s; a lower bound, which a slow machine cannot break
        assertThat(elapsedMillis).as("reading paused while over the rate").isGreaterThanOrEqualTo(1500);
        assertThat(scrape().value("mqtt_quota_exceeded_total", "kind=\"message_rate\"")).isPositive();
    }
}
