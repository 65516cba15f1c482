package dev.mqttsuite.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * What the codec tests share: the broker's pipeline in an {@link EmbeddedChannel} (our decoder, Netty's encoder), the
 * golden files' hex format, and a canonical text of a decoded message so that two messages can be compared field by
 * field (Netty's message classes have no equals).
 */
final class CodecHarness {

    static final int MAX_PACKET_SIZE = 1 << 20;
    static final int MAX_CLIENT_ID = 128;

    private CodecHarness() {
    }

    /** The decoder and encoder as MqttServerVerticle installs them. */
    static EmbeddedChannel channel(int maxPacketSize) {
        return new EmbeddedChannel(new MqttPacketDecoder(maxPacketSize, MAX_CLIENT_ID), MqttEncoder.INSTANCE);
    }

    /** A channel on which a CONNECT of the given version has already been decoded. */
    static EmbeddedChannel connected(MqttVersion version) {
        EmbeddedChannel channel = channel(MAX_PACKET_SIZE);
        byte[] connect = switch (version) {
            case MQTT_5 -> hex("10 0e 00 04 4d 51 54 54 05 02 00 00 00 00 01 63");
            case MQTT_3_1_1 -> hex("10 0d 00 04 4d 51 54 54 04 02 00 00 00 01 63");
            case MQTT_3_1 -> hex("10 0f 00 06 4d 51 49 73 64 70 03 02 00 00 00 01 63");
        };
        MqttMessage message = decodeOne(channel, connect);
        if (message.decoderResult().isFailure()) {
            throw new AssertionError("preamble CONNECT failed", message.decoderResult().cause());
        }
        return channel;
    }

    /** Writes bytes in one read and returns the one message that came out. */
    static MqttMessage decodeOne(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        MqttMessage message = channel.readInbound();
        if (message == null) {
            throw new AssertionError("no message decoded from " + HexFormat.of().formatHex(bytes));
        }
        Object more = channel.readInbound();
        if (more != null) {
            ReferenceCountUtil.release(more);
            throw new AssertionError("more than one message decoded from " + HexFormat.of().formatHex(bytes));
        }
        return message;
    }

    /** Encodes with Netty's MqttEncoder on the channel (whose decoded CONNECT set the version) into bytes. */
    static byte[] encode(EmbeddedChannel channel, MqttMessage message) {
        channel.writeOutbound(message);
        ByteBuf out = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Hex digits, whitespace ignored, {@code #} starting a comment to the end of the line. */
    static byte[] hex(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            digits.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    /** A golden file from src/test/resources/golden. */
    static byte[] golden(String path) {
        try (InputStream in = CodecHarness.class.getResourceAsStream("/golden/" + path)) {
            if (in == null) {
                throw new AssertionError("no golden file " + path);
            }
            return hex(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every field of a message that the wire carries, as text: fixed header flags, variable header, properties (all
     * values of each identifier, in order), payload. The Remaining Length is left out (Netty's encoder computes it).
     */
    static String describe(MqttMessage message) {
        StringBuilder s = new StringBuilder();
        if (message.decoderResult().isFailure()) {
            return "FAILED " + message.decoderResult().cause();
        }
        MqttFixedHeader fixed = message.fixedHeader();
        s.append(fixed.messageType()).append(" dup=").append(fixed.isDup()).append(" qos=")
                .append(fixed.qosLevel().value()).append(" retain=").append(fixed.isRetain()).append('\n');
        describeVariableHeader(s, message.variableHeader());
        describePayload(s, message.payload());
        return s.toString();
    }

    private static void describeVariableHeader(StringBuilder s, Object header) {
        switch (header) {
            case null -> s.append("no variable header\n");
            case MqttConnectVariableHeader h -> s.append("protocol=").append(h.name()).append('/').append(h.version())
                    .append(" user=").append(h.hasUserName()).append(" password=").append(h.hasPassword())
                    .append(" will=").append(h.isWillFlag()).append(" willQos=").append(h.willQos())
                    .append(" willRetain=").append(h.isWillRetain()).append(" cleanStart=").append(h.isCleanSession())
                    .append(" keepAlive=").append(h.keepAliveTimeSeconds()).append('\n')
                    .append("properties ").append(properties(h.properties())).append('\n');
            case MqttConnAckVariableHeader h -> s.append("sessionPresent=").append(h.isSessionPresent())
                    .append(" reason=").append(hexByte(h.connectReturnCode().byteValue())).append('\n')
                    .append("properties ").append(properties(h.properties())).append('\n');
            case MqttPublishVariableHeader h -> s.append("topic=").append(h.topicName()).append(" packetId=")
                    .append(h.packetId()).append('\n').append("properties ").append(properties(h.properties()))
                    .append('\n');
            case MqttPubReplyMessageVariableHeader h -> s.append("packetId=").append(h.messageId())
                    .append(" reason=").append(hexByte(h.reasonCode())).append('\n')
                    .append("properties ").append(properties(h.properties())).append('\n');
            case MqttMessageIdAndPropertiesVariableHeader h -> s.append("packetId=").append(h.messageId()).append('\n')
                    .append("properties ").append(properties(h.properties())).append('\n');
            case MqttMessageIdVariableHeader h -> s.append("packetId=").append(h.messageId())
                    .append(" (no reason code, no properties)\n");
            case MqttReasonCodeAndPropertiesVariableHeader h -> s.append("reason=").append(hexByte(h.reasonCode()))
                    .append('\n').append("properties ").append(properties(h.properties())).append('\n');
            default -> throw new AssertionError("unexpected variable header " + header.getClass());
        }
    }

    private static void describePayload(StringBuilder s, Object payload) {
        switch (payload) {
            case null -> s.append("no payload\n");
            case ByteBuf b -> s.append("payload=").append(ByteBufUtil.hexDump(b)).append('\n');
            case MqttConnectPayload p -> s.append("clientId=").append(p.clientIdentifier()).append('\n')
                    .append("will properties ").append(properties(p.willProperties())).append('\n')
                    .append("willTopic=").append(p.willTopic()).append(" willPayload=")
                    .append(hexOrNull(p.willMessageInBytes())).append(" userName=").append(p.userName())
                    .append(" password=").append(hexOrNull(p.passwordInBytes())).append('\n');
            case MqttSubscribePayload p -> {
                for (MqttTopicSubscription t : p.topicSubscriptions()) {
                    s.append("filter=").append(t.topicFilter()).append(" qos=").append(t.option().qos().value())
                            .append(" noLocal=").append(t.option().isNoLocal()).append(" retainAsPublished=")
                            .append(t.option().isRetainAsPublished()).append(" retainHandling=")
                            .append(t.option().retainHandling().value()).append('\n');
                }
            }
            case MqttUnsubscribePayload p -> s.append("filters=").append(p.topics()).append('\n');
            case MqttSubAckPayload p -> s.append("reasons=").append(p.reasonCodes()).append('\n');
            case MqttUnsubAckPayload p -> s.append("reasons=").append(p.unsubscribeReasonCodes()).append('\n');
            default -> throw new AssertionError("unexpected payload " + payload.getClass());
        }
    }

    /** Properties by identifier, each identifier's values in their order (user properties, subscription ids). */
    static String properties(MqttProperties properties) {
        StringBuilder s = new StringBuilder("[");
        for (int id = 0; id < 0x80; id++) {
            for (MqttProperties.MqttProperty<?> p : properties.getProperties(id)) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(String.format("0x%02X=", id)).append(value(p.value()));
            }
        }
        return s.append(']').toString();
    }

    private static String value(Object value) {
        return switch (value) {
            case byte[] bytes -> "bytes:" + HexFormat.of().formatHex(bytes);
            case String string -> '"' + string + '"';
            case MqttProperties.StringPair pair -> '"' + pair.key + "\"=\"" + pair.value + '"';
            case List<?> pairs -> pairs.stream().map(CodecHarness::value).toList().toString();
            default -> String.valueOf(value);
        };
    }

    private static String hexByte(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }

    private static String hexOrNull(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }
}
