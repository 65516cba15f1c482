package dev.mqttsuite.broker.disconnect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.retained.InMemoryRetainedStore;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.support.CoreFixture;
import dev.mqttsuite.broker.support.RecordingTransport;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client DISCONNECT: the will rule and the Session Expiry Interval change, bounded by the broker's maximum. */
class DisconnectHandlerTest {

    private final CoreFixture core = new CoreFixture(Map.of("broker.session.max-expiry-interval", "3600"),
            new InMemoryRetainedStore());
    private final DisconnectHandler handler = new DisconnectHandler(core.disconnector,
            new SessionExpiry(core.config.session().maxExpiryInterval()));

    private static MqttMessage disconnect(int reason, Long expiry) {
        MqttProperties props = new MqttProperties();
        if (expiry != null) {
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                    (int) (long) expiry));
        }
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, props));
    }

    @Test
    void disconnectAskingForANeverExpiringSession_getsTheBrokerMaximumInstead() {
        MqttConnection connection = core.connected("c", MqttVersion.MQTT_5, Permissions.ALL, 60);
        handler.handle(connection, disconnect(0, SessionExpiry.NEVER));
        assertThat(connection.session().expiryIntervalSeconds()).isEqualTo(3600);
        assertThat(((RecordingTransport) connection.transport()).closed()).isTrue();
    }

    @Test
    void disconnectMayShortenTheInterval_andTheSnapshotSavesTheNewValue() {
        MqttConnection connection = core.connected("c", MqttVersion.MQTT_5, Permissions.ALL, 600);
        handler.handle(connection, disconnect(0, 5L));
        assertThat(connection.session().expiryIntervalSeconds()).isEqualTo(5);
        assertThat(connection.session().state(System.currentTimeMillis()).expiryIntervalSeconds()).isEqualTo(5);
    }

    @Test
    void disconnectChangingZeroToNonZero_isAProtocolError0x82_MQTT_3_14_2_2() {
        MqttConnection connection = core.connected("c", MqttVersion.MQTT_5, Permissions.ALL, 0);
        handler.handle(connection, disconnect(0, 30L));
        var written = ((RecordingTransport) connection.transport()).written(MqttMessageType.DISCONNECT);
        assertThat(written).hasSize(1);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) written.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x82);
        assertThat(connection.session().expiryIntervalSeconds()).isZero();
        assertThat(connection.normalDisconnect()).as("the will is kept").isFalse();
    }

    @Test
    void reasonZeroDiscardsTheWill_reasonFourKeepsIt_MQTT_3_14_4_3() {
        MqttConnection normal = core.connected("n", MqttVersion.MQTT_5, Permissions.ALL, 0);
        handler.handle(normal, disconnect(0x00, null));
        assertThat(normal.normalDisconnect()).isTrue();

        MqttConnection withWill = core.connected("w", MqttVersion.MQTT_5, Permissions.ALL, 0);
        handler.handle(withWill, disconnect(0x04, null));
        assertThat(withWill.normalDisconnect()).isFalse();
    }
}
