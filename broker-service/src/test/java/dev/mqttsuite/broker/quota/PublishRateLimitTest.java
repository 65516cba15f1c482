package dev.mqttsuite.broker.quota;

import static dev.mqttsuite.broker.support.CoreFixture.transport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.publish.PublishHandler;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.support.CoreFixture;
import dev.mqttsuite.broker.support.RecordingTransport;
import io.netty.buffer.Unpooled;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PUBLISH over a connection's rate limit (ADR 0013), without Netty and with a clock the test moves. */
class PublishRateLimitTest {

    private static final Map<String, String> TWO_PER_SECOND = Map.of("broker.quota.client-messages-per-second", "2");

    private final FakeClock clock = new FakeClock();
    private CoreFixture core;
    private Quotas quotas;

    private PublishHandler handler(Map<String, String> settings) {
        core = new CoreFixture(settings, new InMemoryRetainedStore());
        quotas = new Quotas(core.config.quota(), new QuotaMetrics(core.metrics.registry()), clock);
        return new PublishHandler(core.publisher, core.disconnector, core.metrics, core.config.limits(),
                core.config.quota().qos0OverRate() == dev.mqttsuite.broker.config.QuotaConfig.Qos0OverRate.DISCONNECT);
    }

    private MqttConnection connected(String clientId, MqttVersion version) {
        MqttConnection connection = core.connected(clientId, version, Permissions.ALL);
        connection.quota(quotas.open(clientId, clientId));
        return connection;
    }

    private static MqttPublishMessage publish(String topic, int qos, int packetId, int payloadBytes) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false,
                0), new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(new byte[payloadBytes]));
    }

    private static List<Integer> reasons(RecordingTransport transport, MqttMessageType type) {
        return transport.written(type).stream().map(PublishRateLimitTest::reason).toList();
    }

    private static int reason(MqttMessage packet) {
        if (packet.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        if (packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
            return reason.reasonCode() & 0xFF;
        }
        return 0;
    }

    @Test
    void mqtt5Qos1OverTheMessageRate_getsPuback0x97QuotaExceeded_andIsAcceptedAgainOnceRefilled() {
        PublishHandler handler = handler(TWO_PER_SECOND);
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        for (int id = 1; id <= 3; id++) {
            handler.handle(publisher, publish("t", 1, id, 1));
        }
        assertThat(reasons(transport(publisher), MqttMessageType.PUBACK)).containsExactly(0x10, 0x10, 0x97);
        assertThat(publisher.inboundWindow().unacknowledged()).as("the refused PUBLISH frees its slot").isZero();
        clock.advance(500, TimeUnit.MILLISECONDS);
        handler.handle(publisher, publish("t", 1, 4, 1));
        assertThat(reasons(transport(publisher), MqttMessageType.PUBACK)).endsWith(0x10);
        assertThat(scrapeExceeded("message_rate")).isEqualTo(1);
    }

    @Test
    void mqtt5Qos2OverTheRate_getsPubrec0x97_andThePacketIdIsFreeAgain() {
        PublishHandler handler = handler(Map.of("broker.quota.client-messages-per-second", "1"));
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        handler.handle(publisher, publish("t", 2, 1, 1));
        handler.handle(publisher, publish("t", 2, 2, 1));
        assertThat(reasons(transport(publisher), MqttMessageType.PUBREC)).containsExactly(0x10, 0x97);
        clock.advance(1, TimeUnit.SECONDS);
        handler.handle(publisher, publish("t", 2, 2, 1)); // the same id, sent again: a new message, not a duplicate
        assertThat(reasons(transport(publisher), MqttMessageType.PUBREC)).containsExactly(0x10, 0x97, 0x10);
    }

    @Test
    void mqtt5Qos0OverTheRate_isDroppedAndCountedByDefault_theConnectionStays() {
        PublishHandler handler = handler(Map.of("broker.quota.client-messages-per-second", "1"));
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "t", 0);
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        handler.handle(publisher, publish("t", 0, 0, 1));
        handler.handle(publisher, publish("t", 0, 0, 1));
        transport(subscriber).runPending();
        assertThat(transport(subscriber).written(MqttMessageType.PUBLISH)).as("the second one dropped").hasSize(1);
        assertThat(transport(publisher).closed()).isFalse();
        assertThat(scrapeExceeded("message_rate")).isEqualTo(1);
    }

    @Test
    void mqtt5Qos0OverTheRate_withDisconnectConfigured_getsDisconnect0x96MessageRateTooHigh() {
        PublishHandler handler = handler(Map.of("broker.quota.client-messages-per-second", "1",
                "broker.quota.qos0-over-rate", "disconnect"));
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        handler.handle(publisher, publish("t", 0, 0, 1));
        handler.handle(publisher, publish("t", 0, 0, 1));
        assertThat(reasons(transport(publisher), MqttMessageType.DISCONNECT)).containsExactly(0x96);
        assertThat(transport(publisher).closed()).isTrue();
    }

    @Test
    void mqtt5OverTheByteRate_getsPuback0x97_countedAsByteRate() {
        PublishHandler handler = handler(Map.of("broker.quota.client-bytes-per-second", "1000"));
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        handler.handle(publisher, publish("t", 1, 1, 800));
        handler.handle(publisher, publish("t", 1, 2, 800));
        assertThat(reasons(transport(publisher), MqttMessageType.PUBACK)).containsExactly(0x10, 0x97);
        assertThat(scrapeExceeded("byte_rate")).isEqualTo(1);
    }

    @Test
    void mqtt311OverTheRate_isDeliveredButReadingPausesUntilATimerResumesIt() {
        PublishHandler handler = handler(Map.of("broker.quota.client-messages-per-second", "1"));
        MqttConnection subscriber = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(subscriber, "t", 1);
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_3_1_1);
        handler.handle(publisher, publish("t", 1, 1, 1));
        assertThat(transport(publisher).readingPaused()).isFalse();
        handler.handle(publisher, publish("t", 1, 2, 1));
        assertThat(transport(publisher).readingPaused()).as("throttled: no reason code in 3.1.1").isTrue();
        assertThat(transport(publisher).written(MqttMessageType.PUBACK)).as("nothing lost").hasSize(2);
        transport(publisher).fireTimers();
        assertThat(transport(publisher).readingPaused()).as("the timer resumes reading").isFalse();
        transport(subscriber).runPending();
        assertThat(transport(subscriber).written(MqttMessageType.PUBLISH)).hasSize(2);
    }

    @Test
    void withoutQuotaSettings_nothingIsLimited() {
        PublishHandler handler = handler(Map.of());
        MqttConnection publisher = connected("pub", MqttVersion.MQTT_5);
        for (int id = 1; id <= 200; id++) {
            handler.handle(publisher, publish("t", 1, id, 1000));
        }
        assertThat(reasons(transport(publisher), MqttMessageType.PUBACK)).hasSize(200).containsOnly(0x10);
    }

    private double scrapeExceeded(String kind) {
        var counter = core.metrics.registry().find("mqtt.quota.exceeded").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }
}
