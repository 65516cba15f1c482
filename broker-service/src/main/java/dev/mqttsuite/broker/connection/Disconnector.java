package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import org.jboss.logging.Logger;

/**
 * The one server-side disconnect path: logs the reason, sends DISCONNECT with the reason code and reason string to
 * MQTT 5 clients that completed CONNECT [MQTT-4.13.2-1], and closes the connection. MQTT 3.1.1 has no server
 * DISCONNECT: the connection is just closed. A server-initiated disconnect publishes the Will [MQTT-3.1.2-8]. The close
 * is graceful (see {@link Transport#close}): the client reads the reason code even while it is still sending.
 */
public final class Disconnector {

    private static final Logger LOG = Logger.getLogger(Disconnector.class);

    private final BrokerMetrics metrics;

    public Disconnector(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Disconnects from any thread; the work runs on the connection's event loop. */
    public void disconnect(MqttConnection connection, DisconnectReasonCode code, String reason) {
        if (connection.transport().inEventLoop()) {
            disconnectOnLoop(connection, code, reason);
        } else {
            connection.transport().execute(() -> disconnectOnLoop(connection, code, reason));
        }
    }

    /** What runs when a connection's credentials expire: DISCONNECT 0xA0 Maximum connect time. */
    public Runnable onCredentialsExpired(MqttConnection connection) {
        return () -> disconnect(connection, DisconnectReasonCode.MAXIMUM_CONNECT_TIME, "credentials expired");
    }

    private void disconnectOnLoop(MqttConnection connection, DisconnectReasonCode code, String reason) {
        if (connection.state() == ConnectionState.CLOSED) {
            return;
        }
        ConnectionState before = connection.state();
        connection.state(ConnectionState.CLOSED);
        metrics.serverDisconnect();
        if (code.isError()) {
            LOG.debugf("Disconnecting %s: %s (%s)", connection, code, reason);
        }
        if (connection.isMqtt5() && before == ConnectionState.CONNECTED) {
            MqttProperties props = MqttProperties.NO_PROPERTIES;
            if (reason != null && connection.requestProblemInformation()) {
                props = new MqttProperties();
                Props.putString(props, MqttPropertyType.REASON_STRING, reason);
            }
            MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE,
                    false, 0);
            connection.write(new MqttMessage(header, new MqttReasonCodeAndPropertiesVariableHeader(code.code(), props)));
        }
        connection.close();
    }
}
