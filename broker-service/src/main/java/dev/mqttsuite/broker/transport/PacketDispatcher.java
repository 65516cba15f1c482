package dev.mqttsuite.broker.transport;

import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.connection.PacketHandler;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one dispatch table from packet type to handler for established connections, built once by the broker's
 * wiring. CONNECT and AUTH have their own entry points for the states before CONNACK. A packet type without a
 * handler is one clients must not send: DISCONNECT 0x82 Protocol Error.
 */
public final class PacketDispatcher {

    private final PacketHandler<MqttConnectMessage> connect;
    private final PacketHandler<MqttMessage> auth;
    private final Map<MqttMessageType, PacketHandler<? extends MqttMessage>> handlers;
    private final Disconnector disconnector;

    private PacketDispatcher(Builder builder) {
        this.connect = builder.connect;
        this.auth = builder.auth;
        this.handlers = new EnumMap<>(builder.handlers);
        this.disconnector = builder.disconnector;
    }

    public static Builder builder(PacketHandler<MqttConnectMessage> connect, PacketHandler<MqttMessage> auth,
            Disconnector disconnector) {
        return new Builder(connect, auth, disconnector);
    }

    /** CONNECT on a connection that is waiting for it. */
    void connect(MqttConnection connection, MqttConnectMessage message) {
        connect.handle(connection, message);
    }

    /** AUTH during enhanced authentication, before CONNACK. */
    void auth(MqttConnection connection, MqttMessage message) {
        auth.handle(connection, message);
    }

    /** A packet on an established connection. */
    @SuppressWarnings("unchecked")
    void dispatch(MqttConnection connection, MqttMessage message) {
        MqttMessageType type = message.fixedHeader().messageType();
        PacketHandler<MqttMessage> handler = (PacketHandler<MqttMessage>) handlers.get(type);
        if (handler != null) {
            handler.handle(connection, message);
        } else if (type == MqttMessageType.CONNECT) {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR, "second CONNECT"); // [MQTT-3.1.0-2]
        } else {
            disconnector.disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR, type + " is not sent by clients");
        }
    }

    /** Collects the handlers; each packet type at most once. */
    public static final class Builder {
        private final PacketHandler<MqttConnectMessage> connect;
        private final PacketHandler<MqttMessage> auth;
        private final Disconnector disconnector;
        private final Map<MqttMessageType, PacketHandler<? extends MqttMessage>> handlers =
                new EnumMap<>(MqttMessageType.class);

        private Builder(PacketHandler<MqttConnectMessage> connect, PacketHandler<MqttMessage> auth,
                Disconnector disconnector) {
            this.connect = connect;
            this.auth = auth;
            this.disconnector = disconnector;
            handlers.put(MqttMessageType.AUTH, auth); // re-authentication [MQTT-4.12.1]
        }

        public <M extends MqttMessage> Builder on(MqttMessageType type, PacketHandler<M> handler) {
            if (type == MqttMessageType.CONNECT || handlers.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("a handler for " + type + " is already registered");
            }
            return this;
        }

        public PacketDispatcher build() {
            return new PacketDispatcher(this);
        }
    }
}
