package dev.mqttsuite.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.metrics.PacketCounters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The graceful close on a real loopback socket: the last packet is flushed, the output half-closed (the peer reads it
 * and then a clean end of stream), input keeps being read and dropped so that no reset can discard what was sent,
 * and the socket closes when the peer closes or after the linger [MQTT-4.13.2-1: the reason code must reach the
 * client].
 */
class NettyTransportTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<Channel> serverSide = new CompletableFuture<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Encoded in the 3.1.1 form (2 bytes): the channel carries no MQTT 5 version attribute here. */
    private static final MqttMessage DISCONNECT = new MqttMessage(
            new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0));

    /** A server whose handler writes DISCONNECT and closes through a NettyTransport as soon as a client connects. */
    private int serverClosingWith(Duration linger) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("mqttDecoder", new MqttDecoder());
                        ch.pipeline().addLast("mqttEncoder", MqttEncoder.INSTANCE);
                        ch.pipeline().addLast("mqtt", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                NettyTransport transport = new NettyTransport(ctx,
                                        new PacketCounters(new SimpleMeterRegistry()), linger, () -> { });
                                transport.write(DISCONNECT);
                                transport.close();
                                serverSide.complete(ctx.channel());
                            }
                        });
                    }
                });
        return ((InetSocketAddress) bootstrap.bind("127.0.0.1", 0).sync().channel().localAddress()).getPort();
    }

    private static void readDisconnect(InputStream in) throws Exception {
        assertThat(in.readNBytes(2)).containsExactly(0xE0, 0);
    }

    @Test
    void peerReadsTheLastPacketThenACleanEndOfStream_andMayKeepWritingWithoutAReset() throws Exception {
        int port = serverClosingWith(Duration.ofSeconds(30));
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            InputStream in = client.getInputStream();
            readDisconnect(in);
            assertThat(in.read()).as("half-close: end of stream, not a reset").isEqualTo(-1);
            Channel server = serverSide.get(5, TimeUnit.SECONDS);
            assertThat(server.isOpen()).as("still draining the peer's input").isTrue();
            assertThat(server.pipeline().get("mqttDecoder")).as("nothing is decoded any more").isNull();

            client.getOutputStream().write(new byte[256 * 1024]); // a client still sending is drained, not reset
            client.getOutputStream().flush();
            assertThat(server.isOpen()).isTrue();
        }
        Channel server = serverSide.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.isOpen()); // closed as soon as the peer closed
    }

    @Test
    void aPeerThatNeverClosesIsClosedAfterTheLinger() throws Exception {
        int port = serverClosingWith(Duration.ofMillis(200));
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            readDisconnect(client.getInputStream());
            Channel server = serverSide.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.isOpen());
        }
    }

    @Test
    void lingerZeroClosesAtOnce() throws Exception {
        int port = serverClosingWith(Duration.ZERO);
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            readDisconnect(client.getInputStream());
            Channel server = serverSide.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.isOpen());
        }
    }
}
