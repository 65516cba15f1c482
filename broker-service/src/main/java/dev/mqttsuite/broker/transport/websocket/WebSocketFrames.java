package dev.mqttsuite.broker.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.jboss.logging.Logger;

/**
 * Between Netty's WebSocket handler and the MQTT decoder: the payload of each binary frame (and of the continuation
 * frames that follow one) goes on as bytes, so the decoder frames MQTT packets across WebSocket frame boundaries: a
 * packet may span frames and a frame may hold several packets [MQTT-6.0.0-2]. A text frame (or a continuation of
 * one) closes the connection with status 1003 [MQTT-6.0.0-1]. Outbound, every non-empty buffer the MQTT encoder writes
 * becomes one binary frame; empty buffers (the flush of the graceful close) pass as they are.
 */
public final class WebSocketFrames extends ChannelDuplexHandler {

    private static final Logger LOG = Logger.getLogger(WebSocketFrames.class);

    /** Whether the current fragmented message started as a binary frame (continuations carry no type). */
    private boolean binaryMessage;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg); // not a frame: nothing else is expected here after the upgrade
            return;
        }
        if (closing) {
            frame.release();
            return;
        }
        boolean binary;
        if (frame instanceof BinaryWebSocketFrame) {
            binary = true;
            binaryMessage = !frame.isFinalFragment();
        } else if (frame instanceof ContinuationWebSocketFrame) {
            binary = binaryMessage;
            binaryMessage = binaryMessage && !frame.isFinalFragment();
        } else {
            binary = false; // text; ping, pong and close are answered by Netty's handler before us
        }
        if (!binary) {
            ReferenceCountUtil.release(frame);
            LOG.debugf("%s: WebSocket text frame, closing [MQTT-6.0.0-1]", ctx.channel().remoteAddress());
            closing = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                    "MQTT needs binary frames")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ByteBuf content = frame.content();
        if (content.isReadable()) {
            ctx.fireChannelRead(content); // ownership passes to the decoder
        } else {
            frame.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
