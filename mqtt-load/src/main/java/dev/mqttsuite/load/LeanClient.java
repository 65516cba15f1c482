package dev.mqttsuite.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A minimal MQTT 3.1.1 client on Netty for load generation: no per-message allocation beyond the packet itself, writes
 * batched per event-loop turn, acknowledgements handled inline. Not a general client: just what the load tool needs.
 */
final class LeanClient {

    private final Channel channel;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile Consumer<MqttPublishMessage> onPublish = m -> { };
    private volatile IntConsumer onAck = id -> { };
    private volatile Runnable onWritable = () -> { };

    private LeanClient(Channel channel) {
        this.channel = channel;
    }

    static CompletableFuture<LeanClient> connect(EventLoopGroup group, String host, int port, String clientId,
            String username, String password) {
        return connect(group, host, port, clientId, username, password, true);
    }

    /** With {@code cleanSession=false}: a persistent session (MQTT 3.1.1 Clean Session 0). */
    static CompletableFuture<LeanClient> connect(EventLoopGroup group, String host, int port, String clientId,
            String username, String password, boolean cleanSession) {
        CompletableFuture<LeanClient> result = new CompletableFuture<>();
        LeanClient[] holder = new LeanClient[1];
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(MqttEncoder.INSTANCE, new MqttDecoder(Integer.MAX_VALUE),
                                new SimpleChannelInboundHandler<MqttMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                        holder[0].handle(ctx, msg);
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush(); // the PUBACKs written while reading this batch
                                    }

                                    @Override
                                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                        if (ctx.channel().isWritable()) {
                                            holder[0].onWritable.run();
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        holder[0].connected.completeExceptionally(
                                                new IllegalStateException("connection closed"));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        System.err.println("mqtt-load: " + ctx.channel() + ": " + cause);
                                        ctx.close();
                                    }
                                });
                    }
                });
        ChannelFuture future = bootstrap.connect(host, port);
        holder[0] = new LeanClient(future.channel());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(cleanSession).keepAlive(60);
            if (username != null) {
                connect.hasUser(true).username(username);
            }
            if (password != null) {
                connect.hasPassword(true).password(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            future.channel().writeAndFlush(connect.build());
        });
        holder[0].connected.whenComplete((v, t) -> {
            if (t != null) {
                result.completeExceptionally(t);
            } else {
                result.complete(holder[0]);
            }
        });
        return result;
    }

    private void handle(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            System.err.println("mqtt-load: malformed packet from the broker: " + msg.decoderResult().cause());
            ctx.close();
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected.complete(null);
                } else {
                    connected.completeExceptionally(new IllegalStateException("CONNACK " + code));
                }
            }
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) msg;
                onPublish.accept(publish);
                if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    ctx.write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false,
                            MqttQoS.AT_MOST_ONCE, false, 0),
                            MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())), ctx.voidPromise());
                }
            }
            case PUBACK -> onAck.accept(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId());
            default -> {
                // SUBACK, PINGRESP: nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "LeanClient[" + channel + "]";
    }

    void onPublish(Consumer<MqttPublishMessage> handler) {
        this.onPublish = handler;
    }

    void onAck(IntConsumer handler) {
        this.onAck = handler;
    }

    void onWritable(Runnable handler) {
        this.onWritable = handler;
    }

    Channel channel() {
        return channel;
    }

    CompletableFuture<Void> subscribe(String filter, int qos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.valueOf(qos), filter).build())
                .addListener(f -> done.complete(null)); // written; the caller waits before publishing
        return done;
    }

    /** Writes a PUBLISH without flushing. */
    void publish(String topic, int qos, int packetId, ByteBuf payload) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0);
        channel.write(new MqttPublishMessage(header,
                new io.netty.handler.codec.mqtt.MqttPublishVariableHeader(topic, qos == 0 ? 0 : packetId), payload),
                channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    boolean writable() {
        return channel.isWritable();
    }

    void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            channel.close();
        }
    }
}
