package dev.mqttsuite.broker.transport.websocket;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6, RFC 6455): the handlers that go in front of the MQTT decoder and encoder,
 * {@code http -> httpAggregator -> wsUpgrade -> ws -> wsFrames}. After the upgrade Netty replaces the HTTP codec with
 * its WebSocket frame codec; {@code ws} answers pings and close frames and refuses frames above the maximum size
 * (status 1009), {@code wsFrames} turns frames into the byte stream the MQTT decoder reads and back.
 */
public final class WebSocketPipeline {

    /** An upgrade request has no body; its headers are bounded by the HTTP codec's defaults (8 KiB). */
    private static final int MAX_REQUEST_BYTES = 8192;

    private WebSocketPipeline() {
    }

    /**
     * Adds the WebSocket handlers before {@code before}.
     *
     * @param path the only path upgraded (e.g. {@code /mqtt}); others get 404
     * @param maxFramePayload the largest frame payload accepted: the broker's maximum packet size
     * @param handshakeTimeout how long the upgrade may take (the CONNECT deadline bounds the whole anyway)
     */
    public static void install(ChannelPipeline pipeline, String before, String path, int maxFramePayload,
            Duration handshakeTimeout) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                .checkStartsWith(true) // "/mqtt?x=y" too; WebSocketUpgrade already refused every other path
                .subprotocols(String.join(",", WebSocketUpgrade.SUBPROTOCOLS))
                .handshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()))
                .handleCloseFrames(true)
                .sendCloseFrame(null) // the graceful close (NettyTransport) sends it once the handshake is done
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFramePayload)
                        .allowExtensions(false)
                        .withUTF8Validator(false) // text frames close the connection anyway
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
        pipeline.addBefore(before, "http", new HttpServerCodec());
        pipeline.addBefore(before, "httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addBefore(before, "wsUpgrade", new WebSocketUpgrade(path));
        pipeline.addBefore(before, "ws", new WebSocketServerProtocolHandler(config));
        pipeline.addBefore(before, "wsFrames", new WebSocketFrames());
    }
}
