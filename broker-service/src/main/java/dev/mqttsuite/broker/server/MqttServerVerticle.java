package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.protocol.MqttPacketDecoder;
import dev.mqttsuite.broker.transport.tls.CertificateUserMapping;
import dev.mqttsuite.broker.transport.tls.TlsReloader;
import dev.mqttsuite.broker.transport.websocket.WebSocketPipeline;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.impl.NetSocketInternal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One listener instance on one Vert.x event loop. Several instances share the port, so connections are spread over
 * the event loops (see docs/adr/0003-mqtt-pipeline.md). Each accepted socket gets the MQTT pipeline:
 * {@code [ssl] -> idle -> mqttDecoder -> mqttEncoder -> mqtt -> vert.x handler}; a WebSocket listener puts
 * {@code http -> httpAggregator -> wsUpgrade -> ws -> wsFrames} in front of {@code idle} (see {@link WebSocketPipeline}).
 */
public final class MqttServerVerticle extends AbstractVerticle implements TlsReloader.Listener {

    /** What a listener speaks: MQTT over TCP or over WebSocket, each plain or over TLS. */
    public enum Kind {
        MQTT(false, false), MQTTS(true, false), WS(false, true), WSS(true, true);

        final boolean tls;
        final boolean webSocket;

        Kind(boolean tls, boolean webSocket) {
            this.tls = tls;
            this.webSocket = webSocket;
        }
    }

    /** Per-connection outbound buffer bounds: above high the socket reports unwritable and delivery pauses. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    private final BrokerAssembly broker;
    private final NetServerOptions options;
    private final Kind kind;
    private final CertificateUserMapping userMapping;
    private NetServer server;

    public MqttServerVerticle(BrokerAssembly broker, NetServerOptions options, Kind kind) {
        this.broker = broker;
        this.options = options;
        this.kind = kind;
        this.userMapping = new CertificateUserMapping(broker.config().tls().userField());
    }

    @Override
    public void start(Promise<Void> started) {
        server = vertx.createNetServer(options);
        server.connectHandler(this::accept);
        server.listen().onSuccess(s -> started.complete()).onFailure(started::fail);
    }

    public int actualPort() {
        return server.actualPort();
    }

    /** New TLS material for new handshakes (forced: the file paths are the same, their contents changed). */
    @Override
    public Future<Boolean> updateSslOptions(SSLOptions ssl) {
        return server.updateSSLOptions(ssl, true);
    }

    private void accept(NetSocket socket) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
        String host = socket.remoteAddress().hostAddress() != null ? socket.remoteAddress().hostAddress()
                : socket.remoteAddress().host();
        if (!broker.admission().admit(host)) {
            pipeline.channel().close(); // before a byte is read: broker.mqtt.max-connections(-per-address)
            return;
        }
        pipeline.channel().closeFuture().addListener(closed -> broker.admission().release(host));
        pipeline.channel().config().setWriteBufferWaterMark(WATER_MARK);
        // a small read batch per wake-up: bounds what one publisher can have in flight when it is paused
        pipeline.channel().config().setMaxMessagesPerRead(4);
        long connectTimeout = broker.config().mqtt().connectTimeout().toMillis();
        if (kind.webSocket) {
            // the source address is the socket's: X-Forwarded-For is not trusted (no trusted-proxy setting yet)
            WebSocketPipeline.install(pipeline, "handler", broker.config().websocket().path(),
                    broker.config().limits().maxPacketSize(), broker.config().mqtt().connectTimeout());
        }
        pipeline.addBefore("handler", "idle", new IdleStateHandler(connectTimeout, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addBefore("handler", "mqttDecoder", new MqttPacketDecoder(broker.config().limits().maxPacketSize(),
                broker.config().limits().maxClientIdLength()));
        pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
        pipeline.addBefore("handler", "mqtt", broker.newChannelHandler(socket.remoteAddress().toString(),
                kind.tls ? certificateIdentities(socket) : List.of()));
    }

    /** The user name a verified client certificate names (broker.tls.user-field), for the authenticator. */
    private List<String> certificateIdentities(NetSocket socket) {
        try {
            List<Certificate> chain = socket.peerCertificates();
            if (chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate cert) {
                return userMapping.userOf(cert).map(List::of).orElse(List.of());
            }
        } catch (SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
        return List.of();
    }
}
