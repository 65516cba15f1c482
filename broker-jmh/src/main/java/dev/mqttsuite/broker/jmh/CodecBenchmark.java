package dev.mqttsuite.broker.jmh;

import dev.mqttsuite.broker.protocol.MqttPacketDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's packet path without the network: our strict decoder turning PUBLISH bytes into a message (after an
 * MQTT 5 or 3.1.1 CONNECT fixed the version), and Netty's encoder writing a PUBLISH, through Netty channels as in
 * the broker's pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    @Param({"5", "4"})
    int protocolLevel;

    @Param({"64", "1024"})
    int payloadSize;

    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    private ByteBuf publishBytes;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() {
        decoder = new EmbeddedChannel(new MqttPacketDecoder(1 << 20, 65535));
        decoder.writeInbound(connect(protocolLevel));
        ReferenceCountUtil.release(decoder.readInbound());
        payload = new byte[payloadSize];
        ByteBuf publish = Unpooled.buffer();
        byte[] topic = "sensors/building-7/floor-3/temperature".getBytes();
        int remaining = 2 + topic.length + 2 + (protocolLevel == 5 ? 1 : 0) + payloadSize;
        publish.writeByte(0x32); // PUBLISH, QoS 1
        writeVarInt(publish, remaining);
        publish.writeShort(topic.length).writeBytes(topic).writeShort(42);
        if (protocolLevel == 5) {
            publish.writeByte(0); // no properties
        }
        publish.writeBytes(payload);
        publishBytes = Unpooled.unreleasableBuffer(publish);
        encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    }

    private static ByteBuf connect(int level) {
        ByteBuf b = Unpooled.buffer();
        byte[] id = "bench".getBytes();
        int remaining = 2 + 4 + 1 + 1 + 2 + (level == 5 ? 1 : 0) + 2 + id.length;
        b.writeByte(0x10);
        writeVarInt(b, remaining);
        b.writeShort(4).writeBytes("MQTT".getBytes()).writeByte(level).writeByte(0x02).writeShort(60);
        if (level == 5) {
            b.writeByte(0);
        }
        b.writeShort(id.length).writeBytes(id);
        return b;
    }

    private static void writeVarInt(ByteBuf b, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            b.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    @Benchmark
    public Object decodePublish() {
        decoder.writeInbound(publishBytes.duplicate());
        Object message = decoder.readInbound();
        ReferenceCountUtil.release(message);
        return message;
    }

    @Benchmark
    public int encodePublish() {
        MqttPublishMessage message = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader("sensors/building-7/floor-3/temperature", 42, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(payload));
        encoder.writeOutbound(message);
        ByteBuf out = encoder.readOutbound();
        int size = out.readableBytes();
        out.release();
        return size;
    }
}
