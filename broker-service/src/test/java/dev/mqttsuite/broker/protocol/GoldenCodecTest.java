package dev.mqttsuite.broker.protocol;

import static dev.mqttsuite.broker.protocol.CodecHarness.channel;
import static dev.mqttsuite.broker.protocol.CodecHarness.connected;
import static dev.mqttsuite.broker.protocol.CodecHarness.decodeOne;
import static dev.mqttsuite.broker.protocol.CodecHarness.describe;
import static dev.mqttsuite.broker.protocol.CodecHarness.encode;
import static dev.mqttsuite.broker.protocol.CodecHarness.golden;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden byte files for every control packet at MQTT 3.1.1 and 5.0 (src/test/resources/golden, derived by hand from
 * the specifications, see its README): what the broker receives is decoded by our {@link MqttPacketDecoder} and must
 * give exactly the expected fields; what the broker sends (and what a client sends, where Netty can write it) is
 * encoded by Netty's MqttEncoder, as the broker's pipeline does, and must give exactly the golden bytes.
 */
class GoldenCodecTest {

    /** One golden file and the message it holds; {@code decode}/{@code encode} say which directions are checked. */
    record Golden(String file, MqttVersion version, boolean decode, boolean encode, Supplier<MqttMessage> message) {
        @Override
        public String toString() {
            return file + (decode && encode ? "" : decode ? " (decode only)" : " (encode only)");
        }
    }

    private static final MqttVersion V3 = MqttVersion.MQTT_3_1_1;
    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttProperties NONE = MqttProperties.NO_PROPERTIES;

    static Stream<Golden> cases() {
        return Stream.of(
                // ---- MQTT 3.1 and 3.1.1 ---------------------------------------------------------------------------
                both("v3/connect-minimal.hex", V3, () -> connect(
                        new MqttConnectVariableHeader("MQTT", 4, false, false, false, 0, false, true, 60, NONE),
                        new MqttConnectPayload("c1", NONE, null, (byte[]) null, null, (byte[]) null))),
                both("v3/connect-will-credentials.hex", V3, () -> connect(
                        new MqttConnectVariableHeader("MQTT", 4, true, true, true, 1, true, false, 10, NONE),
                        new MqttConnectPayload("c2", NONE, "w/t", bytes("bye"), "u", bytes("pw")))),
                both("v3/connect-mqtt31.hex", MqttVersion.MQTT_3_1, () -> connect(
                        new MqttConnectVariableHeader("MQIsdp", 3, false, false, false, 0, false, true, 30, NONE),
                        new MqttConnectPayload("c31", NONE, null, (byte[]) null, null, (byte[]) null))),
                encodeOnly("v3/connack-session-present.hex", V3, () -> new MqttConnAckMessage(fixed(MqttMessageType.CONNACK),
                        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, true))),
                encodeOnly("v3/connack-refused.hex", V3, () -> new MqttConnAckMessage(fixed(MqttMessageType.CONNACK),
                        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, false))),
                both("v3/publish-qos0.hex", V3, () -> publish(false, MqttQoS.AT_MOST_ONCE, false, 0, NONE, "hi")),
                both("v3/publish-qos1-retain.hex", V3, () -> publish(false, MqttQoS.AT_LEAST_ONCE, true, 10, NONE, "hi")),
                both("v3/publish-qos2-dup.hex", V3, () -> publish(true, MqttQoS.EXACTLY_ONCE, false, 11, NONE, "")),
                both("v3/puback.hex", V3, () -> ack(MqttMessageType.PUBACK, 10)),
                both("v3/pubrec.hex", V3, () -> ack(MqttMessageType.PUBREC, 11)),
                both("v3/pubrel.hex", V3, () -> ack(MqttMessageType.PUBREL, 11)),
                both("v3/pubcomp.hex", V3, () -> ack(MqttMessageType.PUBCOMP, 11)),
                both("v3/subscribe.hex", V3, () -> subscribe(12, NONE,
                        new MqttTopicSubscription("a/+", MqttQoS.AT_LEAST_ONCE),
                        new MqttTopicSubscription("b/#", MqttQoS.EXACTLY_ONCE))),
                encodeOnly("v3/suback.hex", V3, () -> new MqttSubAckMessage(fixed(MqttMessageType.SUBACK),
                        MqttMessageIdVariableHeader.from(12), new MqttSubAckPayload(1, 0x80))),
                both("v3/unsubscribe.hex", V3, () -> unsubscribe(13, NONE, "a/+", "b/#")),
                encodeOnly("v3/unsuback.hex", V3, () -> new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK),
                        MqttMessageIdVariableHeader.from(13))),
                both("v3/pingreq.hex", V3, () -> new MqttMessage(fixed(MqttMessageType.PINGREQ))),
                encodeOnly("v3/pingresp.hex", V3, () -> new MqttMessage(fixed(MqttMessageType.PINGRESP))),
                both("v3/disconnect.hex", V3, () -> new MqttMessage(fixed(MqttMessageType.DISCONNECT))),

                // ---- MQTT 5.0 -------------------------------------------------------------------------------------
                both("v5/connect-minimal.hex", V5, () -> connect(
                        new MqttConnectVariableHeader("MQTT", 5, false, false, false, 0, false, true, 30, NONE),
                        new MqttConnectPayload("c5", NONE, null, (byte[]) null, null, (byte[]) null))),
                both("v5/connect-will-credentials-properties.hex", V5, () -> connect(
                        new MqttConnectVariableHeader("MQTT", 5, true, true, true, 2, true, false, 60, properties(
                                integer(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 3600),
                                string(MqttPropertyType.AUTHENTICATION_METHOD, "m"),
                                binary(MqttPropertyType.AUTHENTICATION_DATA, 0x01, 0x02),
                                integer(MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 0),
                                integer(MqttPropertyType.REQUEST_RESPONSE_INFORMATION, 1),
                                integer(MqttPropertyType.RECEIVE_MAXIMUM, 20),
                                integer(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 5),
                                integer(MqttPropertyType.MAXIMUM_PACKET_SIZE, 1024),
                                new MqttProperties.UserProperty("k", "v"))),
                        new MqttConnectPayload("c6", properties(
                                integer(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, 1),
                                integer(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 60),
                                string(MqttPropertyType.CONTENT_TYPE, "t"),
                                string(MqttPropertyType.RESPONSE_TOPIC, "r"),
                                binary(MqttPropertyType.CORRELATION_DATA, 0xAB),
                                integer(MqttPropertyType.WILL_DELAY_INTERVAL, 5),
                                new MqttProperties.UserProperty("a", "b")),
                                "w", bytes("x"), "u", bytes("p")))),
                decodeOnly("v5/connect-password-without-user-name.hex", V5, () -> connect(
                        new MqttConnectVariableHeader("MQTT", 5, false, true, false, 0, false, true, 0, NONE),
                        new MqttConnectPayload("c7", NONE, null, (byte[]) null, null, bytes("p")))),
                encodeOnly("v5/connack-success.hex", V5, () -> connack(MqttConnectReturnCode.CONNECTION_ACCEPTED, false,
                        NONE)),
                encodeOnly("v5/connack-success-properties.hex", V5, () -> connack(
                        MqttConnectReturnCode.CONNECTION_ACCEPTED, true, properties(
                                integer(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 120),
                                string(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER, "gen-1"),
                                integer(MqttPropertyType.SERVER_KEEP_ALIVE, 30),
                                string(MqttPropertyType.AUTHENTICATION_METHOD, "m"),
                                binary(MqttPropertyType.AUTHENTICATION_DATA, 0x2A),
                                string(MqttPropertyType.RESPONSE_INFORMATION, "ri"),
                                string(MqttPropertyType.REASON_STRING, "ok"),
                                integer(MqttPropertyType.RECEIVE_MAXIMUM, 10),
                                integer(MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 8),
                                integer(MqttPropertyType.MAXIMUM_QOS, 1),
                                integer(MqttPropertyType.RETAIN_AVAILABLE, 0),
                                integer(MqttPropertyType.MAXIMUM_PACKET_SIZE, 65536),
                                integer(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 0),
                                integer(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1),
                                integer(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1),
                                new MqttProperties.UserProperty("k", "v")))),
                encodeOnly("v5/connack-refused.hex", V5, () -> connack(
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, false,
                        properties(string(MqttPropertyType.REASON_STRING, "no")))),
                both("v5/publish-qos0.hex", V5, () -> publish(false, MqttQoS.AT_MOST_ONCE, false, 0, NONE, "hi")),
                both("v5/publish-qos1-retain-properties.hex", V5, () -> publish(false, MqttQoS.AT_LEAST_ONCE, true, 10,
                        properties(
                                integer(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, 1),
                                integer(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 120),
                                string(MqttPropertyType.CONTENT_TYPE, "text"),
                                string(MqttPropertyType.RESPONSE_TOPIC, "re/sp"),
                                binary(MqttPropertyType.CORRELATION_DATA, 0xCA, 0xFE),
                                integer(MqttPropertyType.TOPIC_ALIAS, 3),
                                new MqttProperties.UserProperty("k", "1"),
                                new MqttProperties.UserProperty("k", "2")), "hi")),
                both("v5/publish-qos2-dup.hex", V5, () -> publish(true, MqttQoS.EXACTLY_ONCE, false, 11, NONE, "")),
                encodeOnly("v5/publish-to-subscriber-subscription-ids.hex", V5, () -> publish(false,
                        MqttQoS.AT_LEAST_ONCE, false, 1, properties(
                                integer(MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 1),
                                integer(MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 200)), "hi")),
                both("v5/puback-success-short.hex", V5, () -> ack(MqttMessageType.PUBACK, 10)),
                encodeOnly("v5/puback-success-short.hex", V5, () -> ack(MqttMessageType.PUBACK, 10, 0x00, NONE)),
                decodeOnly("v5/puback-reason-only.hex", V5, () -> ack(MqttMessageType.PUBACK, 10, 0x10, NONE)),
                both("v5/puback-reason-properties.hex", V5, () -> ack(MqttMessageType.PUBACK, 10, 0x10,
                        properties(string(MqttPropertyType.REASON_STRING, "none")))),
                both("v5/pubrec-success-short.hex", V5, () -> ack(MqttMessageType.PUBREC, 11)),
                both("v5/pubrec-reason-properties.hex", V5, () -> ack(MqttMessageType.PUBREC, 11, 0x97,
                        properties(new MqttProperties.UserProperty("k", "v")))),
                both("v5/pubrel-success-short.hex", V5, () -> ack(MqttMessageType.PUBREL, 11)),
                both("v5/pubrel-reason-properties.hex", V5, () -> ack(MqttMessageType.PUBREL, 11, 0x92,
                        properties(string(MqttPropertyType.REASON_STRING, "gone")))),
                both("v5/pubcomp-success-short.hex", V5, () -> ack(MqttMessageType.PUBCOMP, 11)),
                decodeOnly("v5/pubcomp-reason-only.hex", V5, () -> ack(MqttMessageType.PUBCOMP, 11, 0x92, NONE)),
                both("v5/pubcomp-reason-properties.hex", V5, () -> ack(MqttMessageType.PUBCOMP, 11, 0x92, properties(
                        string(MqttPropertyType.REASON_STRING, "gone"), new MqttProperties.UserProperty("k", "v")))),
                both("v5/subscribe-options.hex", V5, () -> subscribe(12, properties(
                                integer(MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 300),
                                new MqttProperties.UserProperty("k", "v")),
                        new MqttTopicSubscription("a/b", new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, true,
                                RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE)),
                        new MqttTopicSubscription("c/#", new MqttSubscriptionOption(MqttQoS.EXACTLY_ONCE, false, false,
                                RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS)),
                        new MqttTopicSubscription("$share/g/d", new MqttSubscriptionOption(MqttQoS.AT_MOST_ONCE, false,
                                false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)))),
                encodeOnly("v5/suback.hex", V5, () -> new MqttSubAckMessage(fixed(MqttMessageType.SUBACK),
                        new MqttMessageIdAndPropertiesVariableHeader(12, NONE), new MqttSubAckPayload(1, 2, 0))),
                encodeOnly("v5/suback-refused-properties.hex", V5, () -> new MqttSubAckMessage(
                        fixed(MqttMessageType.SUBACK), new MqttMessageIdAndPropertiesVariableHeader(13,
                                properties(string(MqttPropertyType.REASON_STRING, "acl"))),
                        new MqttSubAckPayload(0x87, 0x8F))),
                both("v5/unsubscribe.hex", V5, () -> unsubscribe(14,
                        properties(new MqttProperties.UserProperty("k", "v")), "a/b", "$share/g/d")),
                encodeOnly("v5/unsuback.hex", V5, () -> new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK),
                        new MqttMessageIdAndPropertiesVariableHeader(14, NONE),
                        new MqttUnsubAckPayload((short) 0x00, (short) 0x11))),
                both("v5/pingreq.hex", V5, () -> new MqttMessage(fixed(MqttMessageType.PINGREQ))),
                encodeOnly("v5/pingresp.hex", V5, () -> new MqttMessage(fixed(MqttMessageType.PINGRESP))),
                both("v5/disconnect-normal-short.hex", V5, () -> reasonAndProperties(MqttMessageType.DISCONNECT, 0x00,
                        NONE)),
                decodeOnly("v5/disconnect-reason-only.hex", V5, () -> reasonAndProperties(MqttMessageType.DISCONNECT,
                        0x04, NONE)),
                both("v5/disconnect-reason-properties.hex", V5, () -> reasonAndProperties(MqttMessageType.DISCONNECT,
                        0x04, properties(integer(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0),
                                string(MqttPropertyType.REASON_STRING, "bye")))),
                encodeOnly("v5/disconnect-server-reference.hex", V5, () -> reasonAndProperties(
                        MqttMessageType.DISCONNECT, 0x9C, properties(string(MqttPropertyType.SERVER_REFERENCE, "s2")))),
                both("v5/auth-continue.hex", V5, () -> reasonAndProperties(MqttMessageType.AUTH, 0x18, properties(
                        string(MqttPropertyType.AUTHENTICATION_METHOD, "SCRAM"),
                        binary(MqttPropertyType.AUTHENTICATION_DATA, 0x01, 0x02, 0x03)))),
                both("v5/auth-reauthenticate.hex", V5, () -> reasonAndProperties(MqttMessageType.AUTH, 0x19,
                        properties(string(MqttPropertyType.AUTHENTICATION_METHOD, "SCRAM")))),
                both("v5/auth-success-short.hex", V5, () -> reasonAndProperties(MqttMessageType.AUTH, 0x00, NONE)));
    }

    static Stream<Golden> decoded() {
        return cases().filter(Golden::decode);
    }

    static Stream<Golden> encoded() {
        return cases().filter(Golden::encode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoded")
    void goldenBytes_decodeToExactlyTheExpectedFields(Golden golden) {
        EmbeddedChannel channel = channelFor(golden);
        MqttMessage decoded = decodeOne(channel, golden(golden.file()));
        MqttMessage expected = golden.message().get();
        try {
            assertThat(describe(decoded)).as(golden.file() + " decoded by MqttPacketDecoder")
                    .isEqualTo(describe(expected));
        } finally {
            ReferenceCountUtil.release(decoded);
            ReferenceCountUtil.release(expected);
            channel.finishAndReleaseAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoded")
    void expectedMessage_encodesToExactlyTheGoldenBytes(Golden golden) {
        EmbeddedChannel channel = channelFor(golden);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        assertThat(hex.formatHex(encode(channel, golden.message().get())))
                .as(golden.file() + " encoded by Netty's MqttEncoder")
                .isEqualTo(hex.formatHex(golden(golden.file())));
        channel.finishAndReleaseAll();
    }

    @Test
    void everyGoldenFileHasACase_andEveryCaseAFile() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenCodecTest.class.getResource("/golden").toURI());
        Set<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".hex"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> covered = cases().map(Golden::file).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).as("golden files exercised by a case").isEqualTo(files);
    }

    private static EmbeddedChannel channelFor(Golden golden) {
        // a CONNECT must be the first packet [MQTT-3.1.0-1]; other packets follow one that fixed the version
        return golden.file().contains("/connect-") ? channel(CodecHarness.MAX_PACKET_SIZE) : connected(golden.version());
    }

    // ---- expected messages --------------------------------------------------------------------------------------

    private static Golden both(String file, MqttVersion version, Supplier<MqttMessage> message) {
        return new Golden(file, version, true, true, message);
    }

    private static Golden decodeOnly(String file, MqttVersion version, Supplier<MqttMessage> message) {
        return new Golden(file, version, true, false, message);
    }

    private static Golden encodeOnly(String file, MqttVersion version, Supplier<MqttMessage> message) {
        return new Golden(file, version, false, true, message);
    }

    /** As the decoder and Netty's encoder represent them: flags 0010 appear as QoS 1. */
    private static MqttFixedHeader fixed(MqttMessageType type) {
        return FixedHeaders.of(type);
    }

    private static MqttConnectMessage connect(MqttConnectVariableHeader header, MqttConnectPayload payload) {
        return new MqttConnectMessage(fixed(MqttMessageType.CONNECT), header, payload);
    }

    private static MqttConnAckMessage connack(MqttConnectReturnCode code, boolean sessionPresent,
            MqttProperties properties) {
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK),
                new MqttConnAckVariableHeader(code, sessionPresent, properties));
    }

    private static MqttPublishMessage publish(boolean dup, MqttQoS qos, boolean retain, int packetId,
            MqttProperties properties, String payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, retain, 0),
                new MqttPublishVariableHeader("a/b", packetId, properties), Unpooled.wrappedBuffer(bytes(payload)));
    }

    private static MqttMessage ack(MqttMessageType type, int packetId) {
        return new MqttMessage(fixed(type), MqttMessageIdVariableHeader.from(packetId));
    }

    private static MqttMessage ack(MqttMessageType type, int packetId, int reason, MqttProperties properties) {
        return new MqttMessage(fixed(type), new MqttPubReplyMessageVariableHeader(packetId, (byte) reason,
                properties));
    }

    private static MqttSubscribeMessage subscribe(int packetId, MqttProperties properties,
            MqttTopicSubscription... subscriptions) {
        return new MqttSubscribeMessage(fixed(MqttMessageType.SUBSCRIBE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttSubscribePayload(List.of(subscriptions)));
    }

    private static MqttUnsubscribeMessage unsubscribe(int packetId, MqttProperties properties, String... filters) {
        return new MqttUnsubscribeMessage(fixed(MqttMessageType.UNSUBSCRIBE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttUnsubscribePayload(List.of(filters)));
    }

    private static MqttMessage reasonAndProperties(MqttMessageType type, int reason, MqttProperties properties) {
        return new MqttMessage(fixed(type), new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, properties));
    }

    private static MqttProperties properties(MqttProperties.MqttProperty<?>... all) {
        MqttProperties properties = new MqttProperties();
        for (MqttProperties.MqttProperty<?> p : all) {
            properties.add(p);
        }
        return properties;
    }

    private static MqttProperties.IntegerProperty integer(MqttPropertyType type, int value) {
        return new MqttProperties.IntegerProperty(type.value(), value);
    }

    private static MqttProperties.StringProperty string(MqttPropertyType type, String value) {
        return new MqttProperties.StringProperty(type.value(), value);
    }

    private static MqttProperties.BinaryProperty binary(MqttPropertyType type, int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return new MqttProperties.BinaryProperty(type.value(), bytes);
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
