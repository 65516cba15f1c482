package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.connect.ConnackSender;
import dev.mqttsuite.broker.protocol.MqttDecodeException;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jboss.logging.Logger;

/**
 * The Netty handler that sits after the MQTT decoder: enforces the connection's state machine, dispatches each
 * packet to its handler, turns decoder failures into the specification's reactions, flushes once per read batch,
 * resumes delivery when the socket becomes writable, and handles the keep-alive and CONNECT timeouts.
 */
public final class MqttChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(MqttChannelHandler.class);
    /** Packets a client may pipeline behind its CONNECT while authentication runs. */
    private static final int MAX_HELD = 1024;

    private final BrokerCore broker;
    private final MqttConnection connection;

    public MqttChannelHandler(BrokerCore broker, MqttConnection connection) {
        this.broker = broker;
        this.connection = connection;
        connection.onConnected(this::replayHeld);
        connection.onResume(this::replayDeferred);
    }

    /**
     * Packets already read from the socket when back-pressure paused it: they wait here instead of being routed, so a
     * paused publisher adds nothing to any queue (bounded by one socket read per connection) and nothing is dropped.
     */
    private final java.util.ArrayDeque<MqttMessage> deferred = new java.util.ArrayDeque<>();

    /**
     * PUBLISH waits while the connection is paused, and so do the packets whose order relative to its PUBLISHes
     * matters (SUBSCRIBE, UNSUBSCRIBE, DISCONNECT). Acknowledgements and PINGREQ go through at once: a paused
     * publisher that is also a subscriber keeps acknowledging, so its own deliveries keep draining.
     */
    private static boolean mustWaitBehindPublishes(MqttMessage message) {
        if (message.decoderResult().isFailure() || message.fixedHeader() == null) {
            return false; // a malformed packet disconnects at once
        }
        return switch (message.fixedHeader().messageType()) {
            case PUBLISH, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT -> true;
            default -> false;
        };
    }

    private void replayDeferred() {
        while (!deferred.isEmpty() && !connection.readingPaused()) {
            MqttMessage message = deferred.pollFirst();
            try {
                onMessage(message);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    public MqttConnection connection() {
        return connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection.bind(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (connection.state() == ConnectionState.CONNECTED && (!deferred.isEmpty() || connection.readingPaused())
                    && mustWaitBehindPublishes(message)) {
                deferred.addLast(ReferenceCountUtil.retain(message));
                return;
            }
            onMessage(message);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: unexpected failure handling %s", connection, message.fixedHeader());
            broker.disconnector().disconnect(connection, DisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                    "internal error");
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onMessage(MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            onDecoderFailure(message);
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        broker.metrics().packets().received(type);
        switch (connection.state()) {
            case AWAITING_CONNECT -> {
                if (type != MqttMessageType.CONNECT) {
                    LOG.debugf("%s: %s before CONNECT, closing", connection, type);
                    connection.close(); // [MQTT-3.1.0-1]
                    return;
                }
                broker.connectHandler().handle(connection, (MqttConnectMessage) message);
            }
            case AUTHENTICATING -> {
                if (type == MqttMessageType.AUTH) {
                    broker.authExchange().handle(connection, message);
                } else if (type == MqttMessageType.CONNECT || connection.heldWhileAuthenticating.size() >= MAX_HELD) {
                    connection.close(); // [MQTT-3.1.0-2] a second CONNECT is a protocol error
                } else {
                    connection.heldWhileAuthenticating.add(ReferenceCountUtil.retain(message));
                }
            }
            case CONNECTED -> dispatch(type, message);
            case CLOSED -> {
                // discard anything after a disconnect decision
            }
        }
    }

    /** Replays packets that were pipelined behind CONNECT, now that CONNACK is out. */
    public void replayHeld() {
        for (MqttMessage held : connection.heldWhileAuthenticating.toArray(new MqttMessage[0])) {
            try {
                if (connection.state() == ConnectionState.CONNECTED) {
                    dispatch(held.fixedHeader().messageType(), held);
                }
            } finally {
                ReferenceCountUtil.release(held);
            }
        }
        connection.heldWhileAuthenticating.clear();
    }

    private void dispatch(MqttMessageType type, MqttMessage message) {
        switch (type) {
            case PUBLISH -> broker.publishHandler().handle(connection, (MqttPublishMessage) message);
            case PUBACK -> broker.pubackHandler().handle(connection, message);
            case PUBREC -> broker.pubrecHandler().handle(connection, message);
            case PUBREL -> broker.pubrelHandler().handle(connection, message);
            case PUBCOMP -> broker.pubcompHandler().handle(connection, message);
            case SUBSCRIBE -> broker.subscribeHandler().handle(connection, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> broker.unsubscribeHandler().handle(connection, (MqttUnsubscribeMessage) message);
            case PINGREQ -> broker.pingreqHandler().handle(connection, message);
            case DISCONNECT -> broker.disconnectHandler().handle(connection, message);
            case AUTH -> broker.authExchange().handle(connection, message);
            case CONNECT -> broker.disconnector().disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                    "second CONNECT"); // [MQTT-3.1.0-2]
            default -> broker.disconnector().disconnect(connection, DisconnectReasonCode.PROTOCOL_ERROR,
                    type + " is not sent by clients");
        }
    }

    private void onDecoderFailure(MqttMessage message) {
        Throwable cause = message.decoderResult().cause();
        LOG.debugf("%s: malformed packet: %s", connection, cause == null ? "?" : cause.toString());
        if (connection.state() == ConnectionState.AWAITING_CONNECT) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                connection.version(MqttVersion.MQTT_3_1_1); // answer in a format every version reads [MQTT-3.1.2-2]
                ConnackSender.refuse(connection, ConnackReasonCode.UNSUPPORTED_PROTOCOL_VERSION, null);
            } else if (cause instanceof MqttIdentifierRejectedException) {
                ConnackSender.refuse(connection, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, null);
            } else {
                connection.close();
            }
            return;
        }
        if (cause instanceof TooLongFrameException) {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.PACKET_TOO_LARGE,
                    "packet larger than broker.limits.max-packet-size"); // [MQTT-3.2.2-15]
        } else if (cause instanceof MqttDecodeException decode) {
            broker.disconnector().disconnect(connection, decode.reason(), decode.getMessage());
        } else {
            broker.disconnector().disconnect(connection, DisconnectReasonCode.MALFORMED_PACKET,
                    cause == null ? "malformed packet" : cause.getMessage());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.flushIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && connection.session() != null
                && connection.state() == ConnectionState.CONNECTED) {
            connection.session().drain(connection);
            connection.flushIfNeeded();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (connection.state() == ConnectionState.CONNECTED) {
                broker.disconnector().disconnect(connection, DisconnectReasonCode.KEEP_ALIVE_TIMEOUT,
                        "no packet within 1.5 x keep alive"); // [MQTT-3.1.2-22]
            } else {
                LOG.debugf("%s: no CONNECT within broker.mqtt.connect-timeout, closing", connection);
                connection.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deferred.forEach(ReferenceCountUtil::release);
        deferred.clear();
        for (MqttMessage held : connection.heldWhileAuthenticating) {
            ReferenceCountUtil.release(held);
        }
        connection.heldWhileAuthenticating.clear();
        broker.closer().closed(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debugf("%s: %s", connection, cause.toString());
        connection.close();
    }
}
