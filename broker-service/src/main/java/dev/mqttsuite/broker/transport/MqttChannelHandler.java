package dev.mqttsuite.broker.transport;

import dev.mqttsuite.broker.connect.ConnackSender;
import dev.mqttsuite.broker.connection.Admission;
import dev.mqttsuite.broker.connection.ConnectionState;
import dev.mqttsuite.broker.connection.Disconnector;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.disconnect.ConnectionCloser;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.protocol.MqttDecodeException;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The Netty handler that sits after the MQTT decoder: enforces the connection's state machine, hands each packet to
 * the {@link PacketDispatcher}, turns decoder failures into the specification's reactions, flushes once per read
 * batch, resumes delivery when the socket becomes writable, and handles the keep-alive and CONNECT timeouts.
 */
public final class MqttChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(MqttChannelHandler.class);
    /** Bounds before CONNACK: an absolute CONNECT deadline, packets and bytes held behind the CONNECT. */
    public record PreConnack(Duration connectDeadline, int maxPackets, int maxBytes, Admission admission) {
    }

    private final PacketDispatcher dispatcher;
    private final Disconnector disconnector;
    private final ConnectionCloser closer;
    private final BrokerMetrics metrics;
    private final String remoteAddress;
    private final List<String> certificateIdentities;
    private final int receiveMaximum;
    private final Duration linger;
    private final PreConnack preConnack;
    private int heldBytes;
    private NettyTransport transport;
    private MqttConnection connection;
    private boolean closeHandled;

    /** Packets pipelined behind CONNECT while authentication runs, dispatched after CONNACK. */
    private final ArrayDeque<MqttMessage> held = new ArrayDeque<>();
    /**
     * Packets already read from the socket when back-pressure paused it: they wait here instead of being routed, so a
     * paused publisher adds nothing to any queue (bounded by one socket read per connection) and nothing is dropped.
     */
    private final ArrayDeque<MqttMessage> deferred = new ArrayDeque<>();

    public MqttChannelHandler(PacketDispatcher dispatcher, Disconnector disconnector, ConnectionCloser closer,
            BrokerMetrics metrics, String remoteAddress, List<String> certificateIdentities, int receiveMaximum,
            Duration linger, PreConnack preConnack) {
        this.preConnack = preConnack;
        this.dispatcher = dispatcher;
        this.disconnector = disconnector;
        this.closer = closer;
        this.metrics = metrics;
        this.remoteAddress = remoteAddress;
        this.certificateIdentities = certificateIdentities;
        this.receiveMaximum = receiveMaximum;
        this.linger = linger;
    }

    public MqttConnection connection() {
        return connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        transport = new NettyTransport(ctx, metrics.packets(), linger, this::replayDeferred);
        connection = new MqttConnection(transport, metrics, remoteAddress, certificateIdentities, receiveMaximum);
        connection.onConnected(this::replayHeld);
        // An absolute deadline: bytes trickling in do not extend it (the idle timer alone would be reset by them).
        ctx.executor().schedule(() -> {
            if (connection.state() == ConnectionState.AWAITING_CONNECT && !transport.closing()) {
                LOG.debugf("%s: no complete CONNECT within broker.mqtt.connect-timeout, closing", connection);
                preConnack.admission().refused(Admission.Refusal.CONNECT_DEADLINE);
                connection.close();
            }
        }, preConnack.connectDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }

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
        while (!deferred.isEmpty() && !transport.readingPaused()) {
            MqttMessage message = deferred.pollFirst();
            try {
                onMessage(message);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    /** Replays packets that were pipelined behind CONNECT, now that CONNACK is out. */
    private void replayHeld() {
        while (!held.isEmpty()) {
            MqttMessage message = held.pollFirst();
            try {
                if (connection.state() == ConnectionState.CONNECTED) {
                    dispatcher.dispatch(connection, message);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (connection.state() == ConnectionState.CONNECTED && (!deferred.isEmpty() || transport.readingPaused())
                    && mustWaitBehindPublishes(message)) {
                deferred.addLast(ReferenceCountUtil.retain(message));
                return;
            }
            onMessage(message);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: unexpected failure handling %s", connection, message.fixedHeader());
            disconnector.disconnect(connection, DisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error");
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onMessage(MqttMessage message) {
        if (transport.closing()) {
            return; // nothing is processed after a close decision
        }
        if (message.decoderResult().isFailure()) {
            onDecoderFailure(message);
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        metrics.packets().received(type);
        switch (connection.state()) {
            case AWAITING_CONNECT -> {
                if (type != MqttMessageType.CONNECT) {
                    LOG.debugf("%s: %s before CONNECT, closing", connection, type);
                    connection.close(); // [MQTT-3.1.0-1]
                    return;
                }
                dispatcher.connect(connection, (MqttConnectMessage) message);
            }
            case AUTHENTICATING -> {
                if (type == MqttMessageType.AUTH) {
                    dispatcher.auth(connection, message);
                } else if (type == MqttMessageType.CONNECT) {
                    connection.close(); // [MQTT-3.1.0-2] a second CONNECT is a protocol error
                } else if (held.size() >= preConnack.maxPackets()
                        || (heldBytes += sizeOf(message)) > preConnack.maxBytes()) {
                    LOG.debugf("%s: more than broker.mqtt.max-packets-before-connack / max-bytes-before-connack"
                            + " behind the CONNECT, closing", connection);
                    preConnack.admission().refused(Admission.Refusal.TOO_MUCH_BEFORE_CONNACK);
                    connection.close();
                } else {
                    held.addLast(ReferenceCountUtil.retain(message));
                }
            }
            case CONNECTED -> dispatcher.dispatch(connection, message);
            case CLOSED -> {
                // discard anything after a disconnect decision
            }
        }
    }

    /** What a held packet costs in memory: its payload and a fixed overhead. */
    private static int sizeOf(MqttMessage message) {
        return message.payload() instanceof io.netty.buffer.ByteBuf buf ? buf.readableBytes() + 64 : 64;
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
            disconnector.disconnect(connection, DisconnectReasonCode.PACKET_TOO_LARGE,
                    "packet larger than broker.limits.max-packet-size"); // [MQTT-3.2.2-15]
        } else if (cause instanceof MqttDecodeException decode) {
            disconnector.disconnect(connection, decode.reason(), decode.getMessage());
        } else {
            disconnector.disconnect(connection, DisconnectReasonCode.MALFORMED_PACKET,
                    cause == null ? "malformed packet" : cause.getMessage());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        transport.flushIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && connection.session() != null
                && connection.state() == ConnectionState.CONNECTED) {
            connection.session().drain(connection);
            transport.flushIfNeeded();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (connection.state() == ConnectionState.CONNECTED) {
                disconnector.disconnect(connection, DisconnectReasonCode.KEEP_ALIVE_TIMEOUT,
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
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (!closeHandled) {
            closeHandled = true;
            closer.closed(connection);
        }
        ctx.fireChannelInactive();
    }

    /**
     * A socket or TLS failure, or a codec's protocol error, is the peer's doing (debug); a runtime exception a decoder
     * threw and Netty wrapped is a bug of ours, found by the fuzzer's log check (ERROR).
     */
    static boolean isBug(Throwable cause) {
        if (!(cause instanceof DecoderException)) {
            return !(cause instanceof IOException);
        }
        Throwable inner = cause.getCause();
        return inner instanceof RuntimeException && !(inner instanceof DecoderException);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isBug(cause)) {
            LOG.errorf(cause, "%s: unexpected exception in the pipeline, connection closed", connection);
        } else {
            LOG.debugf("%s: %s", connection, cause.toString());
        }
        ctx.channel().close(); // the socket failed: no graceful close possible
    }
}
