package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.reason.PubackReasonCode;
import dev.mqttsuite.reason.PubrelReasonCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A strict decoder of client-to-server MQTT 3.1, 3.1.1 and 5.0 packets into Netty's message types (so Netty's
 * encoder can serve the other direction). Unlike Netty's decoder it rejects everything the specification calls
 * malformed or a protocol error, with the reason code to disconnect with: ill-formed UTF-8 and U+0000 in strings
 * [MQTT-1.5.4-1, MQTT-1.5.4-2], properties not valid for the packet or repeated [MQTT-2.2.2-?], reserved flags
 * [MQTT-2.1.3-1], a Remaining Length longer than four bytes, and a packet above the maximum size, which is refused
 * from its fixed header before its body is buffered. See docs/adr/0003-mqtt-pipeline.md.
 *
 * <p>After the first error the decoder discards all further input: the connection is being closed.
 */
public final class MqttPacketDecoder extends ByteToMessageDecoder {

    /** The attribute through which Netty's MqttEncoder learns the negotiated version. */
    private static final AttributeKey<MqttVersion> VERSION_KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final int maxPacketSize;
    private final int maxClientIdLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private MqttVersion version;
    private boolean failed;

    public MqttPacketDecoder(int maxPacketSize, int maxClientIdLength) {
        this.maxPacketSize = maxPacketSize;
        this.maxClientIdLength = maxClientIdLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            int start = in.readerIndex();
            int pos = start + 1;
            int remaining = 0;
            int multiplier = 1;
            int digit;
            int digits = 0;
            do {
                if (pos >= in.writerIndex()) {
                    return; // fixed header incomplete
                }
                digit = in.getUnsignedByte(pos++);
                remaining += (digit & 0x7F) * multiplier;
                multiplier <<= 7;
                digits++;
                if (digits == 4 && (digit & 0x80) != 0) {
                    fail(in, out, MqttDecodeException.malformed("Remaining Length longer than four bytes"));
                    return;
                }
            } while ((digit & 0x80) != 0);
            long total = (long) (pos - start) + remaining;
            if (total > maxPacketSize) {
                fail(in, out, new TooLongFrameException("packet of " + total + " bytes exceeds the maximum of "
                        + maxPacketSize));
                return;
            }
            if (in.writerIndex() - start < total) {
                return; // body incomplete
            }
            int first = in.getUnsignedByte(start);
            ByteBuf body = in.slice(pos, remaining);
            in.readerIndex((int) (start + total));
            try {
                out.add(decodePacket(ctx, first, body));
            } catch (DecoderException e) {
                fail(in, out, e);
                return;
            } catch (IndexOutOfBoundsException e) {
                fail(in, out, MqttDecodeException.malformed("packet shorter than its fields"));
                return;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ByteBuf in, List<Object> out, DecoderException cause) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new MqttMessage(null, null, null, DecoderResult.failure(cause)));
    }

    private MqttMessage decodePacket(ChannelHandlerContext ctx, int first, ByteBuf body) {
        int typeValue = first >> 4;
        int flags = first & 0x0F;
        if (typeValue == 0) {
            throw MqttDecodeException.malformed("packet type 0 is reserved");
        }
        MqttMessageType type = MqttMessageType.valueOf(typeValue);
        if (version == null && type != MqttMessageType.CONNECT) {
            return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, body.readableBytes()));
        }
        checkFlags(type, flags);
        MqttMessage message = switch (type) {
            case CONNECT -> decodeConnect(ctx, body);
            case PUBLISH -> decodePublish(flags, body);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> decodeAck(type, body);
            case SUBSCRIBE -> decodeSubscribe(body);
            case UNSUBSCRIBE -> decodeUnsubscribe(body);
            case PINGREQ -> {
                expectEmpty(body, "PINGREQ");
                yield new MqttMessage(fixed(type, 0));
            }
            case DISCONNECT -> decodeDisconnect(body);
            case AUTH -> decodeAuth(body);
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> throw MqttDecodeException.protocolError(
                    type + " is sent by servers, not clients");
        };
        if (body.isReadable()) {
            throw MqttDecodeException.malformed(type + " has " + body.readableBytes() + " bytes beyond its fields");
        }
        return message;
    }

    private void checkFlags(MqttMessageType type, int flags) {
        switch (type) {
            case PUBLISH -> {
                int qos = (flags >> 1) & 3;
                if (qos == 3) {
                    throw MqttDecodeException.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                if (qos == 0 && (flags & 0x08) != 0) {
                    throw MqttDecodeException.malformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
                }
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> {
                if (flags != 0x02) {
                    throw MqttDecodeException.malformed(type + " with reserved flags " + flags
                            + " instead of 0010 [MQTT-2.1.3-1]");
                }
            }
            default -> {
                if (flags != 0) {
                    throw MqttDecodeException.malformed(type + " with reserved flags " + flags + " [MQTT-2.1.3-1]");
                }
            }
        }
    }

    private static MqttFixedHeader fixed(MqttMessageType type, int remaining) {
        MqttQoS qos = type == MqttMessageType.PUBREL || type == MqttMessageType.SUBSCRIBE
                || type == MqttMessageType.UNSUBSCRIBE ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttFixedHeader(type, false, qos, false, remaining);
    }

    private boolean mqtt5() {
        return version == MqttVersion.MQTT_5;
    }

    // ---- CONNECT -----------------------------------------------------------------------------------------------

    private MqttConnectMessage decodeConnect(ChannelHandlerContext ctx, ByteBuf body) {
        if (version != null) {
            throw MqttDecodeException.protocolError("second CONNECT [MQTT-3.1.0-2]");
        }
        String name = readString(body);
        int level = body.readUnsignedByte();
        MqttVersion v;
        if ("MQTT".equals(name) && level == 4) {
            v = MqttVersion.MQTT_3_1_1;
        } else if ("MQTT".equals(name) && level == 5) {
            v = MqttVersion.MQTT_5;
        } else if ("MQIsdp".equals(name) && level == 3) {
            v = MqttVersion.MQTT_3_1;
        } else {
            throw new MqttUnacceptableProtocolVersionException("protocol " + name + " level " + level);
        }
        version = v;
        ctx.channel().attr(VERSION_KEY).set(v);
        int flags = body.readUnsignedByte();
        if ((flags & 0x01) != 0 && v != MqttVersion.MQTT_3_1) {
            throw MqttDecodeException.malformed("CONNECT reserved flag set [MQTT-3.1.2-3]");
        }
        boolean cleanStart = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        boolean willRetain = (flags & 0x20) != 0;
        boolean hasPassword = (flags & 0x40) != 0;
        boolean hasUser = (flags & 0x80) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw MqttDecodeException.malformed("will QoS or retain without the will flag [MQTT-3.1.2-11, -13]");
        }
        if (willQos == 3) {
            throw MqttDecodeException.malformed("will QoS 3 [MQTT-3.1.2-12]");
        }
        if (hasPassword && !hasUser && v != MqttVersion.MQTT_5) {
            throw MqttDecodeException.malformed("password without user name [MQTT-3.1.2-22]");
        }
        int keepAlive = body.readUnsignedShort();
        MqttProperties properties = mqtt5() ? readProperties(body, Context.CONNECT) : MqttProperties.NO_PROPERTIES;
        String clientId = readString(body);
        if (v == MqttVersion.MQTT_3_1 && (clientId.isEmpty() || clientId.length() > 23)) {
            throw new MqttIdentifierRejectedException("MQTT 3.1 client id must be 1 to 23 characters");
        }
        if (clientId.length() > maxClientIdLength) {
            throw new MqttIdentifierRejectedException("client id longer than " + maxClientIdLength);
        }
        MqttProperties willProperties = MqttProperties.NO_PROPERTIES;
        String willTopic = null;
        byte[] willPayload = null;
        if (willFlag) {
            if (mqtt5()) {
                willProperties = readProperties(body, Context.WILL);
            }
            willTopic = readString(body);
            willPayload = readBinary(body);
        }
        String user = hasUser ? readString(body) : null;
        byte[] password = hasPassword ? readBinary(body) : null;
        MqttConnectVariableHeader header = new MqttConnectVariableHeader(name, level, hasUser, hasPassword,
                willRetain, willQos, willFlag, cleanStart, keepAlive, properties);
        MqttConnectPayload payload = new MqttConnectPayload(clientId, willProperties, willTopic, willPayload, user,
                password);
        return new MqttConnectMessage(fixed(MqttMessageType.CONNECT, 0), header, payload);
    }

    // ---- PUBLISH and acknowledgements --------------------------------------------------------------------------

    private MqttPublishMessage decodePublish(int flags, ByteBuf body) {
        int qos = (flags >> 1) & 3;
        String topic = readString(body);
        int packetId = 0;
        if (qos > 0) {
            packetId = readPacketId(body);
        }
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt5()) {
            properties = readProperties(body, Context.PUBLISH);
            if (properties.getProperty(0x0B) != null) {
                throw MqttDecodeException.protocolError("Subscription Identifier in a client PUBLISH [MQTT-3.3.4-6]");
            }
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, (flags & 0x08) != 0,
                MqttQoS.valueOf(qos), (flags & 0x01) != 0, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId, properties),
                body.readRetainedSlice(body.readableBytes()));
    }

    private MqttMessage decodeAck(MqttMessageType type, ByteBuf body) {
        int packetId = readPacketId(body);
        MqttMessageIdVariableHeader header;
        if (mqtt5() && body.isReadable()) {
            int reason = body.readUnsignedByte();
            if (type == MqttMessageType.PUBACK || type == MqttMessageType.PUBREC) {
                checkReason(() -> PubackReasonCode.fromByte(reason), type, reason);
            } else {
                checkReason(() -> PubrelReasonCode.fromByte(reason), type, reason);
            }
            Context context = switch (type) {
                case PUBACK -> Context.PUBACK;
                case PUBREC -> Context.PUBREC;
                case PUBREL -> Context.PUBREL;
                default -> Context.PUBCOMP;
            };
            MqttProperties properties = body.isReadable() ? readProperties(body, context)
                    : MqttProperties.NO_PROPERTIES;
            header = new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, properties);
        } else {
            header = MqttMessageIdVariableHeader.from(packetId);
        }
        return type == MqttMessageType.PUBACK ? new MqttPubAckMessage(fixed(type, 0), header)
                : new MqttMessage(fixed(type, 0), header);
    }

    private static int checkReason(Runnable parse, MqttMessageType type, int reason) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            throw MqttDecodeException.malformed(String.format("0x%02X is not a reason code of %s", reason, type));
        }
        return reason;
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE -------------------------------------------------------------------------------

    private MqttSubscribeMessage decodeSubscribe(ByteBuf body) {
        int packetId = readPacketId(body);
        MqttProperties properties = mqtt5() ? readProperties(body, Context.SUBSCRIBE) : MqttProperties.NO_PROPERTIES;
        List<MqttTopicSubscription> subscriptions = new ArrayList<>();
        while (body.isReadable()) {
            String filter = readString(body);
            int options = body.readUnsignedByte();
            int qos = options & 0x03;
            if (qos == 3) {
                throw MqttDecodeException.malformed("subscription QoS 3 [MQTT-3.8.3-4]");
            }
            if (!mqtt5()) {
                if ((options & 0xFC) != 0) {
                    throw MqttDecodeException.malformed("reserved subscription option bits set [MQTT-3-8.3-4]");
                }
                subscriptions.add(new MqttTopicSubscription(filter, MqttQoS.valueOf(qos)));
                continue;
            }
            if ((options & 0xC0) != 0) {
                throw MqttDecodeException.malformed("reserved subscription option bits set [MQTT-3.8.3-5]");
            }
            int retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3) {
                throw MqttDecodeException.protocolError("Retain Handling 3");
            }
            subscriptions.add(new MqttTopicSubscription(filter, new MqttSubscriptionOption(MqttQoS.valueOf(qos),
                    (options & 0x04) != 0, (options & 0x08) != 0,
                    MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(retainHandling))));
        }
        if (subscriptions.isEmpty()) {
            throw MqttDecodeException.protocolError("SUBSCRIBE without topic filters [MQTT-3.8.3-2]");
        }
        return new MqttSubscribeMessage(fixed(MqttMessageType.SUBSCRIBE, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttSubscribePayload(subscriptions));
    }

    private MqttUnsubscribeMessage decodeUnsubscribe(ByteBuf body) {
        int packetId = readPacketId(body);
        MqttProperties properties = mqtt5() ? readProperties(body, Context.UNSUBSCRIBE)
                : MqttProperties.NO_PROPERTIES;
        List<String> filters = new ArrayList<>();
        while (body.isReadable()) {
            filters.add(readString(body));
        }
        if (filters.isEmpty()) {
            throw MqttDecodeException.protocolError("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]");
        }
        return new MqttUnsubscribeMessage(fixed(MqttMessageType.UNSUBSCRIBE, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties), new MqttUnsubscribePayload(filters));
    }

    // ---- DISCONNECT / AUTH -------------------------------------------------------------------------------------

    private MqttMessage decodeDisconnect(ByteBuf body) {
        if (!mqtt5()) {
            expectEmpty(body, "DISCONNECT");
            return new MqttMessage(fixed(MqttMessageType.DISCONNECT, 0));
        }
        int reason = body.isReadable() ? body.readUnsignedByte() : 0;
        checkReason(() -> DisconnectReasonCode.fromByte(reason), MqttMessageType.DISCONNECT, reason);
        MqttProperties properties = body.isReadable() ? readProperties(body, Context.DISCONNECT)
                : MqttProperties.NO_PROPERTIES;
        return new MqttMessage(fixed(MqttMessageType.DISCONNECT, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, properties));
    }

    private MqttMessage decodeAuth(ByteBuf body) {
        if (!mqtt5()) {
            throw MqttDecodeException.malformed("AUTH exists only in MQTT 5");
        }
        int reason = body.isReadable() ? body.readUnsignedByte() : 0;
        checkReason(() -> dev.mqttsuite.reason.AuthReasonCode.fromByte(reason), MqttMessageType.AUTH, reason);
        MqttProperties properties = body.isReadable() ? readProperties(body, Context.AUTH)
                : MqttProperties.NO_PROPERTIES;
        return new MqttMessage(fixed(MqttMessageType.AUTH, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, properties));
    }

    // ---- primitives ----------------------------------------------------------------------------------------------

    private static void expectEmpty(ByteBuf body, String packet) {
        if (body.isReadable()) {
            throw MqttDecodeException.malformed(packet + " must have no body");
        }
    }

    private static int readPacketId(ByteBuf body) {
        int id = body.readUnsignedShort();
        if (id == 0) {
            throw MqttDecodeException.malformed("packet identifier 0 [MQTT-2.2.1-3]");
        }
        return id;
    }

    private static int readVarInt(ByteBuf body) {
        int value = 0;
        int multiplier = 1;
        for (int i = 0; i < 4; i++) {
            int digit = body.readUnsignedByte();
            value += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0) {
                return value;
            }
            multiplier <<= 7;
        }
        throw MqttDecodeException.malformed("Variable Byte Integer longer than four bytes");
    }

    /** A UTF-8 Encoded String: strictly well-formed [MQTT-1.5.4-1] and without U+0000 [MQTT-1.5.4-2]. */
    private String readString(ByteBuf body) {
        int length = body.readUnsignedShort();
        ByteBuf bytes = body.readSlice(length);
        boolean ascii = true;
        for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
            byte b = bytes.getByte(i);
            if (b == 0) {
                throw MqttDecodeException.malformed("U+0000 in a UTF-8 string [MQTT-1.5.4-2]");
            }
            ascii &= b > 0;
        }
        if (ascii) {
            // the common case (topics, client ids): ASCII is well-formed UTF-8; no decoder buffers on the hot path
            return bytes.toString(StandardCharsets.US_ASCII);
        }
        try {
            return utf8.reset().decode(bytes.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw MqttDecodeException.malformed("ill-formed UTF-8 string [MQTT-1.5.4-1]");
        }
    }

    private static byte[] readBinary(ByteBuf body) {
        int length = body.readUnsignedShort();
        byte[] bytes = new byte[length];
        body.readBytes(bytes);
        return bytes;
    }

    private MqttProperties readProperties(ByteBuf body, Context context) {
        int length = readVarInt(body);
        ByteBuf block = body.readSlice(length);
        if (length == 0) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties properties = new MqttProperties();
        BitSet seen = new BitSet(0x2B);
        while (block.isReadable()) {
            int id = readVarInt(block);
            PropertyRules.Rule rule = PropertyRules.lookup(id, context);
            if (rule == null) {
                throw MqttDecodeException.malformed(String.format("property 0x%02X is not valid in %s", id, context));
            }
            if (id != 0x26 && seen.get(id)) {
                throw MqttDecodeException.protocolError(String.format("property 0x%02X included twice in %s", id,
                        context));
            }
            seen.set(id);
            switch (rule.type()) {
                case BYTE -> {
                    int value = block.readUnsignedByte();
                    if ((id == 0x01 || id == 0x17 || id == 0x19) && value > 1) {
                        throw MqttDecodeException.protocolError(String.format("property 0x%02X must be 0 or 1", id));
                    }
                    properties.add(new MqttProperties.IntegerProperty(id, value));
                }
                case TWO_BYTE -> properties.add(new MqttProperties.IntegerProperty(id, block.readUnsignedShort()));
                case FOUR_BYTE -> properties.add(new MqttProperties.IntegerProperty(id, block.readInt()));
                case VARINT -> properties.add(new MqttProperties.IntegerProperty(id, readVarInt(block)));
                case UTF8 -> properties.add(new MqttProperties.StringProperty(id, readString(block)));
                case BINARY -> properties.add(new MqttProperties.BinaryProperty(id, readBinary(block)));
                case UTF8_PAIR -> properties.add(new MqttProperties.UserProperty(readString(block),
                        readString(block)));
            }
        }
        return properties;
    }
}
