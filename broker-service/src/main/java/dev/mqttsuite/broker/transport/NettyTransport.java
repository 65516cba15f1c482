package dev.mqttsuite.broker.transport;

import dev.mqttsuite.broker.connection.Transport;
import dev.mqttsuite.broker.metrics.PacketCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Netty channel under one MQTT connection: batched writes, read pausing and the graceful close. Loop-confined
 * except {@link #execute} and {@link #resumeReading}.
 */
final class NettyTransport implements Transport {

    private final ChannelHandlerContext ctx;
    private final PacketCounters packets;
    private final long lingerMillis;
    private final Runnable onResume;
    private boolean flushPending;
    private boolean readingPaused;
    private boolean closing;

    /**
     * @param ctx the context of the MQTT handler, so that writes pass through the encoder
     * @param linger how long a closing connection waits for the peer to close after the half-close
     * @param onResume replays the packets decoded after a pause, before reading resumes
     */
    NettyTransport(ChannelHandlerContext ctx, PacketCounters packets, Duration linger, Runnable onResume) {
        this.ctx = ctx;
        this.packets = packets;
        this.lingerMillis = linger.toMillis();
        this.onResume = onResume;
    }

    @Override
    public void write(MqttMessage message) {
        packets.sent(message.fixedHeader().messageType());
        flushPending = true;
        ctx.write(message, ctx.voidPromise());
    }

    @Override
    public void writeAndFlush(MqttMessage message) {
        packets.sent(message.fixedHeader().messageType());
        ctx.writeAndFlush(message, ctx.voidPromise());
        flushPending = false;
    }

    @Override
    public void flushIfNeeded() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public boolean isActive() {
        return ctx.channel().isActive() && !closing;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /**
     * The graceful close: packets already decoded are dropped and further input is read and discarded (unread input
     * would turn the close into a TCP reset, and the peer would lose the DISCONNECT or CONNACK written last), the
     * output is flushed and half-closed (WebSocket: a close frame first; TLS: close_notify first), and the channel
     * closes when the peer closes or after the linger, whichever comes first.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        Channel channel = ctx.channel();
        if (!channel.isActive() || !(channel instanceof DuplexChannel duplex) || lingerMillis == 0) {
            flushIfNeeded();
            channel.close();
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get("mqttDecoder") != null) {
            pipeline.replace("mqttDecoder", "discard", new InputDiscarder());
        }
        readingPaused = false;
        channel.config().setAutoRead(true);
        flushPending = false;
        if (pipeline.get(WebSocketFrameEncoder.class) != null) {
            // MQTT over WebSocket after the upgrade: a close frame behind the last packet (RFC 6455 section 5.5.1)
            ctx.write(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), ctx.voidPromise());
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            SslHandler ssl = pipeline.get(SslHandler.class);
            if (!flushed.isSuccess()) {
                channel.close();
            } else if (ssl != null) {
                ssl.closeOutbound().addListener(notified -> duplex.shutdownOutput());
            } else {
                duplex.shutdownOutput();
            }
        });
        ScheduledFuture<?> linger = ctx.executor().schedule(() -> channel.close(), lingerMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> linger.cancel(false));
    }

    /** Whether {@link #close} has started: packets decoded from now on are not processed. */
    boolean closing() {
        return closing;
    }

    @Override
    public void execute(Runnable task) {
        ctx.executor().execute(() -> {
            task.run();
            flushIfNeeded();
        });
    }

    @Override
    public boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return ctx.executor().schedule(() -> {
            task.run();
            flushIfNeeded();
        }, delay, unit);
    }

    @Override
    public void pauseReading() {
        if (!readingPaused && !closing) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        ctx.executor().execute(() -> {
            if (readingPaused && !closing) {
                readingPaused = false;
                onResume.run(); // packets decoded after the pause first; may pause again
                if (!readingPaused) {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                }
                flushIfNeeded();
            }
        });
    }

    @Override
    public boolean readingPaused() {
        return readingPaused;
    }

    @Override
    public void keepAlive(int seconds) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (seconds > 0) {
            long timeoutMillis = seconds * 1500L; // [MQTT-3.1.2-22] one and a half times the keep alive
            pipeline.replace("idle", "idle", new IdleStateHandler(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
        } else if (pipeline.get("idle") != null) {
            pipeline.remove("idle");
        }
    }
}
