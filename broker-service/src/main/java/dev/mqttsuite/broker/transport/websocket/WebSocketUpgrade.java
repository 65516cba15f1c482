package dev.mqttsuite.broker.transport.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checks the HTTP request before Netty's WebSocket handshake: only {@code GET <path>} (query ignored) that offers the
 * {@code mqtt} subprotocol (or {@code mqttv3.1}, the name MQTT 3.1 clients offer) is upgraded. Any other path gets 404,
 * another method 405, a request without {@code mqtt} or {@code mqttv3.1} among its subprotocols 400 — a client must
 * offer "mqtt" [MQTT-6.0.0-3]. The request's subprotocol list is narrowed to the one the server selects, so the
 * handshake answers "mqtt" whenever the client offered it [MQTT-6.0.0-4], whatever the client's order. Removes itself
 * once the request passed.
 */
public final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(WebSocketUpgrade.class);
    /** The subprotocols the broker selects, in order of preference. */
    public static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");

    private final String path;

    public WebSocketUpgrade(String path) {
        this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpResponseStatus refusal = null;
        String reason = null;
        String selected = null;
        if (request.decoderResult().isFailure()) {
            refusal = HttpResponseStatus.BAD_REQUEST;
            reason = "malformed HTTP request";
        } else if (!path.equals(new QueryStringDecoder(request.uri()).path())) {
            refusal = HttpResponseStatus.NOT_FOUND;
            reason = "MQTT over WebSocket is served at " + path;
        } else if (!HttpMethod.GET.equals(request.method())) {
            refusal = HttpResponseStatus.METHOD_NOT_ALLOWED;
            reason = "a WebSocket upgrade is a GET";
        } else {
            selected = select(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
            if (selected == null) {
                refusal = HttpResponseStatus.BAD_REQUEST;
                reason = "offer the WebSocket subprotocol mqtt (Sec-WebSocket-Protocol: mqtt) [MQTT-6.0.0-3]";
            }
        }
        if (refusal != null) {
            LOG.debugf("%s: WebSocket upgrade of %s %s refused with %s", ctx.channel().remoteAddress(),
                    request.method(), request.uri(), refusal);
            ReferenceCountUtil.release(request);
            refuse(ctx, refusal, reason);
            return;
        }
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, selected);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(request);
    }

    /** The subprotocol the broker selects from the client's offer, or null when it offers neither of ours. */
    static String select(List<String> offeredHeaders) {
        String best = null;
        for (String header : offeredHeaders) {
            for (String offered : header.split(",")) {
                String name = offered.trim();
                int rank = SUBPROTOCOLS.indexOf(name);
                if (rank >= 0 && (best == null || rank < SUBPROTOCOLS.indexOf(best))) {
                    best = name;
                }
            }
        }
        return best;
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
