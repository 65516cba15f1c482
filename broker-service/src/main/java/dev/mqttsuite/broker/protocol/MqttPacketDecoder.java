package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.protocol.PropertyRules.Context;
import dev.mqttsuite.reason.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * A strict decoder of client-to-server MQTT 3.1, 3.1.1 and 5.0 packets into Netty's message types (so Netty's
 * encoder can serve the other direction). Unlike Netty's decoder it rejects everything the specification calls
 * malformed or a protocol error, with the reason code to disconnect with: ill-formed UTF-8 and U+0000 in strings
 * [MQTT-1.5.4-1, MQTT-1.5.4-2], properties not valid for the packet or repeated (MQTT 5.0 section 2.2.2.2), reserved
 * flags [MQTT-2.1.3-1], a Remaining Length longer than four bytes or not minimally encoded [MQTT-1.5.5-1], and a
 * packet above the maximum size, which is refused from its fixed header before its body is buffered. See
 * docs/adr/0003-mqtt-pipeline.md.
 *
 * <p>This class frames packets and dispatches on their type; the bodies are read by {@link ConnectDecoder},
 * {@link PublishDecoder} and {@link SubscriptionDecoder} over {@link Fields} and {@link PropertyReader}. A frame is
 * decoded only once all of it has arrived, so a packet split across reads at any byte decodes like a whole one.
 *
 * <p>After the first error the decoder discards all further input: the connection is being closed.
 */
public final class MqttPacketDecoder extends ByteToMessageDecoder {

    /** The attribute through which Netty's MqttEncoder learns the negotiated version. */
    private static final AttributeKey<MqttVersion> VERSION_KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final int maxPacketSize;
    private final PropertyReader properties;
    private final ConnectDecoder connect;
    private final PublishDecoder publish;
    private final SubscriptionDecoder subscriptions;
    private MqttVersion version;
    private boolean failed;

    public MqttPacketDecoder(int maxPacketSize, int maxClientIdLength) {
        this.maxPacketSize = maxPacketSize;
        Fields fields = new Fields();
        this.properties = new PropertyReader(fields);
        this.connect = new ConnectDecoder(fields, properties, maxClientIdLength);
        this.publish = new PublishDecoder(fields, properties);
        this.subscriptions = new SubscriptionDecoder(fields, properties);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            int start = in.readerIndex();
            long remainingLength;
            try {
                remainingLength = VariableByteInteger.peek(in, start + 1, in.writerIndex());
            } catch (MqttDecodeException e) {
                fail(in, out, e);
                return;
            }
            if (remainingLength == VariableByteInteger.INCOMPLETE) {
                return; // fixed header incomplete
            }
            int headerLength = 1 + (int) (remainingLength >>> 32);
            int remaining = (int) remainingLength;
            long total = (long) headerLength + remaining;
            if (total > maxPacketSize) {
                fail(in, out, new TooLongFrameException("packet of " + total + " bytes exceeds the maximum of "
                        + maxPacketSize));
                return;
            }
            if (in.writerIndex() - start < total) {
                return; // body incomplete
            }
            int first = in.getUnsignedByte(start);
            ByteBuf body = in.slice(start + headerLength, remaining);
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
            // the handler closes the connection: the first packet must be CONNECT [MQTT-3.1.0-1]
            return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, body.readableBytes()));
        }
        FixedHeaders.checkFlags(type, flags);
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        MqttMessage message = switch (type) {
            case CONNECT -> {
                if (version != null) {
                    throw MqttDecodeException.protocolError("second CONNECT [MQTT-3.1.0-2]");
                }
                version = connect.readVersion(body);
                ctx.channel().attr(VERSION_KEY).set(version);
                yield connect.decode(body, version);
            }
            case PUBLISH -> publish.decodePublish(flags, body, mqtt5);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> publish.decodeAck(type, body, mqtt5);
            case SUBSCRIBE -> subscriptions.decodeSubscribe(body, mqtt5);
            case UNSUBSCRIBE -> subscriptions.decodeUnsubscribe(body, mqtt5);
            case PINGREQ -> {
                Fields.expectEmpty(body, "PINGREQ");
                yield new MqttMessage(FixedHeaders.of(type));
            }
            case DISCONNECT -> {
                if (!mqtt5) {
                    Fields.expectEmpty(body, "DISCONNECT");
                    yield new MqttMessage(FixedHeaders.of(type));
                }
                yield reasonAndProperties(type, body, PacketType.DISCONNECT, Context.DISCONNECT);
            }
            case AUTH -> {
                if (!mqtt5) {
                    throw MqttDecodeException.malformed("AUTH exists only in MQTT 5");
                }
                yield reasonAndProperties(type, body, PacketType.AUTH, Context.AUTH);
            }
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> throw MqttDecodeException.protocolError(
                    type + " is sent by servers, not clients");
        };
        if (body.isReadable()) {
            throw MqttDecodeException.malformed(type + " has " + body.readableBytes() + " bytes beyond its fields");
        }
        return message;
    }

    /**
     * An MQTT 5 DISCONNECT or AUTH: a reason code and properties, both of which may be left out (Remaining Length 0
     * means 0x00 without properties; 1 means no Property Length), MQTT 5.0 sections 3.14.2.1 and 3.15.2.1.
     */
    private MqttMessage reasonAndProperties(MqttMessageType type, ByteBuf body, PacketType packet, Context context) {
        int reason = body.isReadable() ? Fields.readReasonCode(body, packet) : 0;
        MqttProperties props = body.isReadable() ? properties.read(body, context) : MqttProperties.NO_PROPERTIES;
        return new MqttMessage(FixedHeaders.of(type), new MqttReasonCodeAndPropertiesVariableHeader((byte) reason,
                props));
    }
}
