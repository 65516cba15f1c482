package dev.mqttsuite.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broker configured below the protocol's maximums tells clients so and enforces it. */
@QuarkusTest
@TestProfile(RestrictedBrokerTest.Restricted.class)
class RestrictedBrokerTest extends BrokerTest {

    public static class Restricted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.mqtt.server-keep-alive", "30", "broker.limits.max-qos", "1",
                    "broker.limits.retain-available", "false", "broker.limits.topic-alias-maximum", "0");
        }
    }

    @Test
    void connackCarriesServerKeepAliveMaximumQosAndRetainUnavailable_MQTT_3_2_2() {
        Mqtt5BlockingClient client = mqtt5Builder(unique("restricted")).buildBlocking();
        Mqtt5ConnAck connAck = client.connectWith().keepAlive(300).send();
        onCleanup(client::disconnect);
        assertThat(connAck.getServerKeepAlive()).hasValue(30);
        assertThat(connAck.getRestrictions().getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(connAck.getRestrictions().isRetainAvailable()).isFalse();
        assertThat(connAck.getRestrictions().getTopicAliasMaximum()).isZero();
    }

    @Test
    void subscriptionAboveMaximumQos_isGrantedTheMaximum_MQTT_3_2_2_9() {
        Mqtt5BlockingClient client = mqtt5(unique("sub"));
        assertThat(client.subscribeWith().topicFilter(unique("t")).qos(MqttQos.EXACTLY_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    }

    @Test
    void publishAboveMaximumQos_isDisconnectedWithQosNotSupported_MQTT_3_2_2_11() throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("qos2"));
        raw.send(RawMqttClient.packet(0x34, RawMqttClient.concat(RawMqttClient.utf8("t"), new byte[] {0, 1, 0},
                "x".getBytes())));
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x9B);
    }

    @Test
    void retainedPublishWhenRetainIsUnavailable_isDisconnectedWithRetainNotSupported_MQTT_3_2_2_14()
            throws Exception {
        RawMqttClient raw = raw();
        raw.connect5(unique("retain"));
        raw.send(RawMqttClient.packet(0x31, RawMqttClient.concat(RawMqttClient.utf8("t"), new byte[] {0},
                "x".getBytes())));
        RawMqttClient.Packet disconnect = raw.read();
        assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
        assertThat(disconnect.body()[0] & 0xFF).isEqualTo(0x9A);
    }
}
