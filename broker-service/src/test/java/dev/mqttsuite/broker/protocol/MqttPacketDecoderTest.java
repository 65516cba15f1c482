package dev.mqttsuite.broker.protocol;

import static dev.mqttsuite.broker.protocol.CodecHarness.channel;
import static dev.mqttsuite.broker.protocol.CodecHarness.connected;
import static dev.mqttsuite.broker.protocol.CodecHarness.decodeOne;
import static dev.mqttsuite.broker.protocol.CodecHarness.describe;
import static dev.mqttsuite.broker.protocol.CodecHarness.golden;
import static dev.mqttsuite.broker.protocol.CodecHarness.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.reason.DisconnectReasonCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge cases of {@link MqttPacketDecoder}, without a broker: framing (Remaining Length of one to four bytes, longer or
 * non-minimal ones, packets split across reads at every byte, the maximum packet size) and every rule whose breach
 * the decoder must report, with the reason code the broker disconnects with.
 */
class MqttPacketDecoderTest {

    private static final MqttVersion V3 = MqttVersion.MQTT_3_1_1;
    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final DisconnectReasonCode MALFORMED = DisconnectReasonCode.MALFORMED_PACKET;
    private static final DisconnectReasonCode PROTOCOL_ERROR = DisconnectReasonCode.PROTOCOL_ERROR;

    /** MQTT 5 CONNECT variable header up to the flags: "MQTT", level 5. */
    private static final String CONNECT5 = "00 04 4d 51 54 54 05";
    private static final String CONNECT311 = "00 04 4d 51 54 54 04";

    // ---- Remaining Length (MQTT 5.0 section 1.5.5 / 2.1.4) -----------------------------------------------------

    @ParameterizedTest(name = "Remaining Length {0} as [{1}] [MQTT-1.5.5-1]")
    @CsvSource({
        "0, 00",
        "3, 03",
        "127, 7f",
        "128, 80 01",
        "16383, ff 7f",
        "16384, 80 80 01",
        "2097151, ff ff 7f",
        "2097152, 80 80 80 01"})
    void remainingLength_ofOneToFourBytes_framesExactlyOnePacket(int remaining, String encoded) {
        // a PUBLISH QoS 0 to topic "t" (3 bytes) whose payload fills the rest; 0 is a PUBLISH too short: use PINGREQ
        byte[] header = hex((remaining == 0 ? "c0 " : "30 ") + encoded);
        byte[] body = new byte[remaining];
        if (remaining > 0) {
            body[1] = 1;
            body[2] = 't';
            Arrays.fill(body, 3, remaining, (byte) 'x');
        }
        EmbeddedChannel channel = channelWithMax(V3, 4 << 20);
        MqttMessage message = decodeOne(channel, concat(header, body));
        assertThat(message.decoderResult().isSuccess()).as(String.valueOf(message.decoderResult())).isTrue();
        if (remaining == 0) {
            assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGREQ);
        } else {
            MqttPublishMessage publish = (MqttPublishMessage) message;
            assertThat(publish.variableHeader().topicName()).isEqualTo("t");
            assertThat(publish.payload().readableBytes()).isEqualTo(remaining - 3);
        }
        ReferenceCountUtil.release(message);
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "five bytes of Remaining Length (section 1.5.5: at most four)|30 ff ff ff ff 01",
        "five bytes, the last without continuation bit|c0 80 80 80 80 00",
        "0 in two bytes [MQTT-1.5.5-1]|c0 80 00",
        "0 in three bytes [MQTT-1.5.5-1]|c0 80 80 00",
        "0 in four bytes [MQTT-1.5.5-1]|c0 80 80 80 00",
        "1 in two bytes [MQTT-1.5.5-1]|c0 81 00",
        "127 in two bytes [MQTT-1.5.5-1]|30 ff 00"})
    void remainingLength_tooLongOrNotMinimal_isAMalformedPacket(String label, String bytes) {
        MqttMessage message = decodeOne(connected(V3), hex(bytes));
        assertFailure(label, message, MALFORMED);
    }

    @Test
    void remainingLength_ofFiveBytesArrivingOneByOne_failsOnTheFifthByte() {
        EmbeddedChannel channel = connected(V5);
        byte[] bytes = hex("30 ff ff ff ff");
        for (int i = 0; i < 4; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
            assertThat((Object) channel.readInbound()).as("nothing decided after " + (i + 1) + " bytes").isNull();
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 4, 1));
        assertFailure("fifth Remaining Length byte", channel.readInbound(), MALFORMED);
    }

    // ---- maximum packet size (answered with DISCONNECT 0x95 [MQTT-3.2.2-15]) --------------------------------------

    @Test
    void packetOfExactlyTheMaximumSize_isDecoded_oneByteMore_isTooLong() {
        int max = 100;
        byte[] fits = publish311(max - 2 - 3); // fixed header 2 bytes + topic 3 bytes + payload
        assertThat(fits).hasSize(max);
        MqttMessage message = decodeOne(channelWithMax(V3, max), fits);
        assertThat(message.decoderResult().isSuccess()).isTrue();
        ReferenceCountUtil.release(message);

        MqttMessage tooLong = decodeOne(channelWithMax(V3, max), publish311(max - 2 - 3 + 1));
        assertThat(tooLong.decoderResult().cause())
                .as("TooLongFrameException is what MqttChannelHandler answers with DISCONNECT 0x95 Packet too large")
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void packetAboveTheMaximumSize_isRefusedFromItsFixedHeader_beforeItsBodyArrives() {
        EmbeddedChannel channel = channelWithMax(V5, 1 << 20);
        channel.writeInbound(Unpooled.wrappedBuffer(hex("30 ff ff ff 7f 00 01 74"))); // announces 268,435,455 bytes
        MqttMessage message = channel.readInbound();
        assertThat(message).as("refused without waiting for 256 MiB").isNotNull();
        assertThat(message.decoderResult().cause()).isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("268435460 bytes");
    }

    @Test
    void afterTheFirstError_furtherInputIsDiscarded() {
        EmbeddedChannel channel = connected(V5);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(hex("c0 01 00"), hex("c0 00"))));
        assertFailure("PINGREQ with a body", channel.readInbound(), MALFORMED);
        assertThat((Object) channel.readInbound()).as("the valid PINGREQ after it").isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(hex("c0 00")));
        assertThat((Object) channel.readInbound()).as("a later read").isNull();
    }

    // ---- packets split across reads -------------------------------------------------------------------------

    static Stream<Arguments> clientPackets() {
        return GoldenCodecTest.decoded().map(g -> Arguments.of(g.file(), g.version()));
    }

    /**
     * Every byte boundary of every packet a client sends. Netty 4.1.133's own MqttDecoder (a ReplayingDecoder) has
     * trouble with a PUBLISH whose variable header is split; ours frames first and decodes a whole frame, so a split
     * anywhere must give the same message as the whole packet.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clientPackets")
    void packetSplitAtEveryByte_decodesLikeTheWholePacket(String file, MqttVersion version) {
        byte[] packet = golden(file);
        boolean connect = file.contains("/connect-");
        String whole = describeAndRelease(decodeOne(connect ? channel(CodecHarness.MAX_PACKET_SIZE)
                : connected(version), packet));
        for (int split = 1; split < packet.length; split++) {
            EmbeddedChannel channel = connect ? channel(CodecHarness.MAX_PACKET_SIZE) : connected(version);
            channel.writeInbound(Unpooled.wrappedBuffer(packet, 0, split));
            assertThat((Object) channel.readInbound()).as(file + ": nothing from the first " + split + " bytes")
                    .isNull();
            channel.writeInbound(Unpooled.wrappedBuffer(packet, split, packet.length - split));
            assertThat(describeAndRelease(channel.readInbound())).as(file + " split after byte " + split)
                    .isEqualTo(whole);
            channel.finishAndReleaseAll();
        }
        EmbeddedChannel bytewise = connect ? channel(CodecHarness.MAX_PACKET_SIZE) : connected(version);
        for (byte b : packet) {
            ByteBuf one = Unpooled.directBuffer(1).writeByte(b); // direct: the decoder's copy path for strings
            bytewise.writeInbound(one);
        }
        assertThat(describeAndRelease(bytewise.readInbound())).as(file + " one direct byte per read").isEqualTo(whole);
    }

    @Test
    void severalPacketsInOneRead_andOneCutInTwo_decodeInOrder() {
        byte[] publish = golden("v5/publish-qos1-retain-properties.hex");
        byte[] ping = golden("v5/pingreq.hex");
        byte[] subscribe = golden("v5/subscribe-options.hex");
        byte[] stream = concat(publish, ping, subscribe, publish);
        EmbeddedChannel channel = connected(V5);
        int cut = publish.length + ping.length + 7; // inside SUBSCRIBE's properties
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, cut));
        channel.writeInbound(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
        List<MqttMessageType> types = new ArrayList<>();
        for (MqttMessage m; (m = channel.readInbound()) != null; ) {
            assertThat(m.decoderResult().isSuccess()).isTrue();
            types.add(m.fixedHeader().messageType());
            ReferenceCountUtil.release(m);
        }
        assertThat(types).containsExactly(MqttMessageType.PUBLISH, MqttMessageType.PINGREQ, MqttMessageType.SUBSCRIBE,
                MqttMessageType.PUBLISH);
    }

    /**
     * A PUBLISH payload is a retained slice of the decoder's cumulation buffer: later reads, appended to that buffer
     * or copied out of it, must not change a payload handed on earlier (a QoS 1 message may wait in a queue).
     */
    @Test
    void publishPayload_isUnchangedByLaterReadsIntoTheSameBuffer() {
        EmbeddedChannel channel = connected(V5);
        byte[] first = hex("30 0f 00 03 61 2f 62 00 66 69 72 73 74 2d 6f 6e 65"); // payload "first-one"
        byte[] second = hex("30 0c 00 03 61 2f 62 00 73 65 63 6f 6e 64"); // payload "second"
        ByteBuf read1 = Unpooled.buffer(256).writeBytes(first).writeBytes(second, 0, 5);
        channel.writeInbound(read1);
        MqttPublishMessage kept = channel.readInbound();
        for (int i = 0; i < 50; i++) {
            ByteBuf more = Unpooled.buffer(256);
            more.writeBytes(second, i == 0 ? 5 : 0, i == 0 ? second.length - 5 : second.length);
            channel.writeInbound(more);
            ReferenceCountUtil.release(channel.readInbound());
        }
        assertThat(kept.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("first-one");
        kept.release();
    }

    @Test
    void propertiesInAnyOrder_decodeToTheSameMessage() {
        // the golden PUBLISH's properties in identifier order instead of Netty's order
        byte[] reordered = hex("33 36 00 03 61 2f 62 00 0a 2c 01 01 02 00 00 00 78 03 00 04 74 65 78 74"
                + " 08 00 05 72 65 2f 73 70 09 00 02 ca fe 23 00 03 26 00 01 6b 00 01 31 26 00 01 6b 00 01 32 68 69");
        assertThat(describeAndRelease(decodeOne(connected(V5), reordered)))
                .isEqualTo(describeAndRelease(decodeOne(connected(V5), golden("v5/publish-qos1-retain-properties.hex"))));
    }

    // ---- strings ----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ASCII|61 2f 62|a/b",
        "two-byte characters|c3 a9 74 c3 a9|été",
        "four-byte character (emoji)|f0 9f 98 80|\uD83D\uDE00",
        "U+FEFF at the start is kept, not stripped [MQTT-1.5.4-3]|ef bb bf 61|\uFEFFa",
        "noncharacter U+FFFF is accepted (receivers MAY refuse it, we do not)|ef bf bf|\uFFFF"})
    void topicNames_decodeFromHeapAndDirectBuffers(String label, String utf8, String expected) {
        byte[] topic = hex(utf8);
        byte[] body = concat(new byte[] {0, (byte) topic.length}, topic, new byte[] {0});
        byte[] packet = concat(new byte[] {0x30, (byte) body.length}, body);
        for (boolean direct : new boolean[] {false, true}) {
            EmbeddedChannel channel = connected(V5);
            ByteBuf buf = direct ? Unpooled.directBuffer().writeBytes(packet) : Unpooled.wrappedBuffer(packet);
            channel.writeInbound(buf);
            MqttPublishMessage publish = channel.readInbound();
            assertThat(publish.variableHeader().topicName()).as(label + (direct ? " (direct)" : " (heap)"))
                    .isEqualTo(expected);
            publish.release();
        }
    }

    // ---- what the decoder must refuse ----------------------------------------------------------------------

    /** version null: the packet is sent first, as a CONNECT; otherwise after a CONNECT of that version. */
    static Stream<Arguments> refused() {
        return Stream.of(
                // reserved flags [MQTT-2.1.3-1]
                refused("CONNECT with flags 0001 [MQTT-2.1.3-1]", null, 0x11, CONNECT5 + " 02 00 00 00 00 01 63",
                        MALFORMED),
                refused("PUBACK with flags 0010 [MQTT-2.1.3-1]", V5, 0x42, "00 01", MALFORMED),
                refused("PUBREC with flags 1000 [MQTT-2.1.3-1]", V5, 0x58, "00 01", MALFORMED),
                refused("PUBREL with flags 0000 [MQTT-3.6.1-1]", V5, 0x60, "00 01", MALFORMED),
                refused("PUBREL with flags 0011 [MQTT-3.6.1-1]", V5, 0x63, "00 01", MALFORMED),
                refused("PUBREL with flags 0000 in 3.1.1 [MQTT-3.6.1-1]", V3, 0x60, "00 01", MALFORMED),
                refused("PUBCOMP with flags 0001 [MQTT-2.1.3-1]", V5, 0x71, "00 01", MALFORMED),
                refused("SUBSCRIBE with flags 0000 [MQTT-3.8.1-1]", V5, 0x80, "00 01 00 00 01 74 00", MALFORMED),
                refused("SUBSCRIBE with flags 0110 [MQTT-3.8.1-1]", V3, 0x86, "00 01 00 01 74 00", MALFORMED),
                refused("UNSUBSCRIBE with flags 0000 [MQTT-3.10.1-1]", V5, 0xA0, "00 01 00 00 01 74", MALFORMED),
                refused("PINGREQ with flags 0001 [MQTT-2.1.3-1]", V5, 0xC1, "", MALFORMED),
                refused("DISCONNECT with flags 0010 [MQTT-3.14.1-1]", V5, 0xE2, "", MALFORMED),
                refused("AUTH with flags 0001 [MQTT-3.15.1-1]", V5, 0xF1, "", MALFORMED),
                refused("PUBLISH with QoS 3 [MQTT-3.3.1-4]", V5, 0x36, "00 01 74 00 01 00", MALFORMED),
                refused("PUBLISH with QoS 3, DUP and RETAIN [MQTT-3.3.1-4]", V3, 0x3F, "00 01 74 00 01", MALFORMED),
                refused("PUBLISH with DUP at QoS 0 [MQTT-3.3.1-2]", V5, 0x38, "00 01 74 00", MALFORMED),

                // packet identifiers [MQTT-2.2.1-3]
                refused("PUBLISH QoS 1 with packet identifier 0 [MQTT-2.2.1-3]", V5, 0x32, "00 01 74 00 00 00",
                        MALFORMED),
                refused("PUBLISH QoS 2 with packet identifier 0 [MQTT-2.2.1-3]", V5, 0x34, "00 01 74 00 00 00",
                        MALFORMED),
                refused("PUBLISH QoS 1 with packet identifier 0 in 3.1.1 [MQTT-2.3.1-1]", V3, 0x32, "00 01 74 00 00",
                        MALFORMED),
                refused("SUBSCRIBE with packet identifier 0 [MQTT-2.2.1-3]", V5, 0x82, "00 00 00 00 01 74 00",
                        MALFORMED),
                refused("UNSUBSCRIBE with packet identifier 0 [MQTT-2.2.1-3]", V5, 0xA2, "00 00 00 00 01 74",
                        MALFORMED),
                refused("PUBACK with packet identifier 0", V5, 0x40, "00 00", MALFORMED),

                // SUBSCRIBE and UNSUBSCRIBE payloads
                refused("SUBSCRIBE without a topic filter [MQTT-3.8.3-2]", V5, 0x82, "00 01 00", PROTOCOL_ERROR),
                refused("SUBSCRIBE without a topic filter in 3.1.1 [MQTT-3.8.3-3]", V3, 0x82, "00 01",
                        PROTOCOL_ERROR),
                refused("UNSUBSCRIBE without a topic filter [MQTT-3.10.2-2]", V5, 0xA2, "00 01 00", PROTOCOL_ERROR),
                refused("UNSUBSCRIBE without a topic filter in 3.1.1 [MQTT-3.10.3-2]", V3, 0xA2, "00 01",
                        PROTOCOL_ERROR),
                refused("subscription Maximum QoS 3 is a Protocol Error in MQTT 5 (section 3.8.3.1)", V5, 0x82,
                        "00 01 00 00 01 74 03", PROTOCOL_ERROR),
                refused("subscription QoS 3 is malformed in 3.1.1 [MQTT-3-8.3-4]", V3, 0x82, "00 01 00 01 74 03",
                        MALFORMED),
                refused("subscription option bit 6 set [MQTT-3.8.3-5]", V5, 0x82, "00 01 00 00 01 74 40", MALFORMED),
                refused("subscription option bit 7 set [MQTT-3.8.3-5]", V5, 0x82, "00 01 00 00 01 74 81", MALFORMED),
                refused("No Local bit in 3.1.1, where it is reserved [MQTT-3-8.3-4]", V3, 0x82, "00 01 00 01 74 04",
                        MALFORMED),
                refused("Retain Handling 3 (section 3.8.3.1)", V5, 0x82, "00 01 00 00 01 74 30", PROTOCOL_ERROR),
                refused("topic filter without its options byte", V5, 0x82, "00 01 00 00 01 74", MALFORMED),

                // UTF-8 Encoded Strings [MQTT-1.5.4-1, -2]
                refused("ill-formed UTF-8 in a topic name [MQTT-1.5.4-1]", V5, 0x30, "00 02 c3 28 00", MALFORMED),
                refused("encoded surrogate U+D800 in a topic name [MQTT-1.5.4-1]", V5, 0x30, "00 03 ed a0 80 00",
                        MALFORMED),
                refused("overlong '/' (c0 af) in a topic name [MQTT-1.5.4-1]", V5, 0x30, "00 03 61 c0 af 00",
                        MALFORMED),
                refused("U+0000 in a topic name [MQTT-1.5.4-2]", V5, 0x30, "00 03 61 00 62 00", MALFORMED),
                refused("U+0000 in a topic name in 3.1.1 [MQTT-1.5.4-2]", V3, 0x30, "00 03 61 00 62", MALFORMED),
                refused("ill-formed UTF-8 in a topic filter [MQTT-3.8.3-1]", V5, 0x82, "00 01 00 00 01 ff 00",
                        MALFORMED),
                refused("ill-formed UTF-8 in an UNSUBSCRIBE filter [MQTT-3.10.2-1]", V5, 0xA2, "00 01 00 00 01 ff",
                        MALFORMED),
                refused("ill-formed UTF-8 in a user property [MQTT-1.5.7-1]", V5, 0x30, "00 01 74 06 26 00 01 ff 00 00",
                        MALFORMED),
                refused("U+0000 in a Reason String [MQTT-1.5.4-2]", V5, 0x40, "00 01 10 04 1f 00 01 00", MALFORMED),
                refused("ill-formed UTF-8 in a client identifier [MQTT-1.5.4-1]", null, 0x10,
                        CONNECT5 + " 02 00 00 00 00 02 c3 28", MALFORMED),
                refused("U+0000 in a client identifier [MQTT-1.5.4-2]", null, 0x10,
                        CONNECT5 + " 02 00 00 00 00 02 61 00", MALFORMED),
                refused("ill-formed UTF-8 in a will topic [MQTT-3.1.3-11]", null, 0x10,
                        CONNECT5 + " 06 00 00 00 00 01 63 00 00 01 ff 00 00", MALFORMED),
                refused("ill-formed UTF-8 in a user name [MQTT-3.1.3-12]", null, 0x10,
                        CONNECT311 + " 82 00 00 00 01 63 00 01 ff", MALFORMED),
                refused("string longer than the packet", V5, 0x30, "00 05 61", MALFORMED),

                // properties (MQTT 5.0 section 2.2.2.2)
                refused("Session Expiry Interval is not a PUBLISH property", V5, 0x30, "00 01 74 05 11 00 00 00 01",
                        MALFORMED),
                refused("Reason String is not a PUBLISH property", V5, 0x30, "00 01 74 04 1f 00 01 61", MALFORMED),
                refused("Will Delay Interval is not a CONNECT property", null, 0x10,
                        CONNECT5 + " 02 00 00 05 18 00 00 00 01 00 01 63", MALFORMED),
                refused("Session Expiry Interval is not a will property", null, 0x10,
                        CONNECT5 + " 06 00 00 00 00 01 63 05 11 00 00 00 01 00 01 77 00 00", MALFORMED),
                refused("Topic Alias is not a SUBSCRIBE property", V5, 0x82, "00 01 03 23 00 01 00 01 74 00",
                        MALFORMED),
                refused("Subscription Identifier is not an UNSUBSCRIBE property", V5, 0xA2, "00 01 02 0b 01 00 01 74",
                        MALFORMED),
                refused("Maximum QoS (a CONNACK property) in DISCONNECT", V5, 0xE0, "00 02 24 01", MALFORMED),
                refused("unknown property identifier 0x7F", V5, 0x30, "00 01 74 02 7f 00", MALFORMED),
                refused("property identifier 0x00", V5, 0x30, "00 01 74 02 00 00", MALFORMED),
                refused("Message Expiry Interval twice in PUBLISH", V5, 0x30,
                        "00 01 74 0a 02 00 00 00 01 02 00 00 00 02", PROTOCOL_ERROR),
                refused("Session Expiry Interval twice in CONNECT", null, 0x10,
                        CONNECT5 + " 02 00 00 0a 11 00 00 00 01 11 00 00 00 02 00 01 63", PROTOCOL_ERROR),
                refused("Subscription Identifier twice in SUBSCRIBE", V5, 0x82, "00 01 04 0b 01 0b 02 00 01 74 00",
                        PROTOCOL_ERROR),
                refused("Reason String twice in PUBACK", V5, 0x40, "00 01 10 08 1f 00 01 61 1f 00 01 62",
                        PROTOCOL_ERROR),
                refused("Authentication Method twice in AUTH", V5, 0xF0, "18 08 15 00 01 61 15 00 01 62",
                        PROTOCOL_ERROR),
                refused("Payload Format Indicator 2", V5, 0x30, "00 01 74 02 01 02", PROTOCOL_ERROR),
                refused("Request Problem Information 2 in CONNECT", null, 0x10,
                        CONNECT5 + " 02 00 00 02 17 02 00 01 63", PROTOCOL_ERROR),
                refused("Property Length beyond the end of the packet", V5, 0x30, "00 01 74 09 01 01", MALFORMED),
                refused("property value cut by the end of its block", V5, 0x30, "00 01 74 02 02 00 00 00 00 00",
                        MALFORMED),
                refused("Property Length not minimally encoded [MQTT-1.5.5-1]", V5, 0x30, "00 01 74 80 00",
                        MALFORMED),
                refused("Subscription Identifier not minimally encoded [MQTT-1.5.5-1]", V5, 0x82,
                        "00 01 03 0b 81 00 00 01 74 00", MALFORMED),
                refused("Subscription Identifier in a client PUBLISH [MQTT-3.3.4-6]", V5, 0x30, "00 01 74 02 0b 01",
                        PROTOCOL_ERROR),

                // reason codes (MQTT 5.0 section 2.4)
                refused("PUBACK reason code 0x05 does not exist [MQTT-3.4.2-1]", V5, 0x40, "00 01 05", MALFORMED),
                refused("PUBREL with 0x10, a PUBACK reason code [MQTT-3.6.2-1]", V5, 0x62, "00 01 10", MALFORMED),
                refused("DISCONNECT reason code 0x03 [MQTT-3.14.2-1]", V5, 0xE0, "03", MALFORMED),
                refused("AUTH reason code 0x01 [MQTT-3.15.2-1]", V5, 0xF0, "01", MALFORMED),

                // packet types and lengths
                refused("packet type 0 is reserved", V5, 0x00, "", MALFORMED),
                refused("AUTH does not exist in 3.1.1", V3, 0xF0, "", MALFORMED),
                refused("CONNACK sent by a client", V5, 0x20, "00 00 00", PROTOCOL_ERROR),
                refused("PINGRESP sent by a client", V5, 0xD0, "", PROTOCOL_ERROR),
                refused("second CONNECT [MQTT-3.1.0-2]", V5, 0x10, CONNECT5 + " 02 00 00 00 00 01 63",
                        PROTOCOL_ERROR),
                refused("PINGREQ with a body", V5, 0xC0, "00", MALFORMED),
                refused("3.1.1 DISCONNECT with a body", V3, 0xE0, "00", MALFORMED),
                refused("3.1.1 PUBACK with a reason code", V3, 0x40, "00 01 00", MALFORMED),
                refused("PUBLISH QoS 1 shorter than its packet identifier", V5, 0x32, "00 01 74 00", MALFORMED),
                refused("PUBACK of one byte", V5, 0x40, "00", MALFORMED),
                refused("DISCONNECT with bytes after its properties", V5, 0xE0, "00 00 00", MALFORMED),

                // CONNECT
                refused("CONNECT reserved flag set [MQTT-3.1.2-3]", null, 0x10, CONNECT5 + " 03 00 00 00 00 01 63",
                        MALFORMED),
                refused("will QoS 1 without the will flag [MQTT-3.1.2-11]", null, 0x10,
                        CONNECT5 + " 0a 00 00 00 00 01 63", MALFORMED),
                refused("will retain without the will flag [MQTT-3.1.2-13]", null, 0x10,
                        CONNECT5 + " 22 00 00 00 00 01 63", MALFORMED),
                refused("will QoS 3 [MQTT-3.1.2-12]", null, 0x10,
                        CONNECT5 + " 1e 00 00 00 00 01 63 00 00 01 77 00 00", MALFORMED),
                refused("password without user name in 3.1.1 ([MQTT-3.1.2-22] of 3.1.1)", null, 0x10,
                        CONNECT311 + " 42 00 00 00 01 63 00 01 70", MALFORMED),
                refused("ill-formed UTF-8 in the protocol name [MQTT-1.5.4-1]", null, 0x10,
                        "00 04 4d 51 54 ff 05 02 00 00 00 00 01 63", MALFORMED));
    }

    private static Arguments refused(String label, MqttVersion version, int first, String body,
            DisconnectReasonCode reason) {
        return Arguments.of(label, version, first, body, reason);
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("refused")
    void illegalPacket_failsWithTheReasonCodeToDisconnectWith(String label, MqttVersion version, int first,
            String body, DisconnectReasonCode reason) {
        EmbeddedChannel channel = version == null ? channel(CodecHarness.MAX_PACKET_SIZE) : connected(version);
        MqttMessage message = decodeOne(channel, frame(first, hex(body)));
        assertFailure(label, message, reason);
    }

    static Stream<Arguments> refusedConnects() {
        return Stream.of(
                Arguments.of("protocol level 6 (CONNACK 0x84) [MQTT-3.1.2-2]",
                        CONNECT5.replace(" 05", " 06") + " 02 00 00 00 00 01 63",
                        MqttUnacceptableProtocolVersionException.class),
                Arguments.of("protocol name \"MQTX\" [MQTT-3.1.2-1]", "00 04 4d 51 54 58 05 02 00 00 00 00 01 63",
                        MqttUnacceptableProtocolVersionException.class),
                Arguments.of("protocol name \"MQIsdp\" with level 4", "00 06 4d 51 49 73 64 70 04 02 00 00 00 01 63",
                        MqttUnacceptableProtocolVersionException.class),
                Arguments.of("MQTT 3.1 client identifier of 24 characters (CONNACK 2)",
                        "00 06 4d 51 49 73 64 70 03 02 00 00 00 18" + " 61".repeat(24),
                        MqttIdentifierRejectedException.class),
                Arguments.of("client identifier above the broker's maximum (CONNACK 0x85) [MQTT-3.1.3-8]",
                        CONNECT5 + " 02 00 00 00 00 81" + " 61".repeat(CodecHarness.MAX_CLIENT_ID + 1),
                        MqttIdentifierRejectedException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConnects")
    void refusedConnect_failsWithTheExceptionTheBrokerAnswersWithConnack(String label, String body,
            Class<? extends Throwable> expected) {
        MqttMessage message = decodeOne(channel(CodecHarness.MAX_PACKET_SIZE), frame(0x10, hex(body)));
        assertThat(message.decoderResult().cause()).as(label).isInstanceOf(expected);
    }

    // ---- what the decoder must accept ------------------------------------------------------------------------

    @Test
    void firstPacketOtherThanConnect_isPassedOnForTheHandlerToClose_MQTT_3_1_0_1() {
        MqttMessage message = decodeOne(channel(CodecHarness.MAX_PACKET_SIZE), hex("30 04 00 01 74 78"));
        assertThat(message.decoderResult().isSuccess()).isTrue();
        assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBLISH);
    }

    @Test
    void emptyClientIdentifier_isDecoded_forTheHandlerToAssignOne_MQTT_3_1_3_6() {
        MqttConnectMessage connect = (MqttConnectMessage) decodeOne(channel(CodecHarness.MAX_PACKET_SIZE),
                frame(0x10, hex(CONNECT5 + " 02 00 00 00 00 00")));
        assertThat(connect.payload().clientIdentifier()).isEmpty();
    }

    @Test
    void emptyTopicName_isDecoded_forTheHandlerToResolveItsTopicAlias() {
        MqttPublishMessage publish = (MqttPublishMessage) decodeOne(connected(V5),
                frame(0x30, hex("00 00 03 23 00 01 78")));
        assertThat(publish.variableHeader().topicName()).isEmpty();
        assertThat(publish.variableHeader().properties().getProperty(0x23).value()).isEqualTo(1);
        publish.release();
    }

    @Test
    void clientIdentifierOfTheMaximumLength_isDecoded() {
        MqttConnectMessage connect = (MqttConnectMessage) decodeOne(channel(CodecHarness.MAX_PACKET_SIZE),
                frame(0x10, hex(CONNECT5 + " 02 00 00 00 00 80" + " 61".repeat(CodecHarness.MAX_CLIENT_ID))));
        assertThat(connect.payload().clientIdentifier()).hasSize(CodecHarness.MAX_CLIENT_ID);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertFailure(String label, MqttMessage message, DisconnectReasonCode reason) {
        assertThat(message).as(label + ": a decoder result").isNotNull();
        assertThat(message.decoderResult().isFailure()).as(label + ": decoded as " + describe(message)).isTrue();
        assertThat(message.decoderResult().cause()).as(label).isInstanceOfSatisfying(MqttDecodeException.class,
                e -> assertThat(e.reason()).as(label + " (" + e.getMessage() + ")").isEqualTo(reason));
    }

    private static EmbeddedChannel channelWithMax(MqttVersion version, int maxPacketSize) {
        EmbeddedChannel channel = channel(maxPacketSize);
        byte[] connect = version == V5 ? frame(0x10, hex(CONNECT5 + " 02 00 00 00 00 01 63"))
                : frame(0x10, hex(CONNECT311 + " 02 00 00 00 01 63"));
        ReferenceCountUtil.release(decodeOne(channel, connect));
        return channel;
    }

    /** A 3.1.1 PUBLISH QoS 0 to "t" with {@code payload} bytes. */
    private static byte[] publish311(int payload) {
        byte[] body = new byte[3 + payload];
        body[1] = 1;
        body[2] = 't';
        return frame(0x30, body);
    }

    /** First byte, Remaining Length, body (the Remaining Length written by the test's own encoder). */
    private static byte[] frame(int first, byte[] body) {
        return dev.mqttsuite.broker.support.RawMqttClient.packet(first, body);
    }

    private static byte[] concat(byte[]... parts) {
        return dev.mqttsuite.broker.support.RawMqttClient.concat(parts);
    }

    private static String describeAndRelease(MqttMessage message) {
        try {
            return describe(message);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }
}
