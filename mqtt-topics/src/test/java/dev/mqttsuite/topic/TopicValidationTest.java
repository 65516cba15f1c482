package dev.mqttsuite.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicValidationTest {

    private static final String MAX_BYTES = "a".repeat(65_535);
    private static final String OVER_MAX_BYTES = "a".repeat(65_536);
    /** 21,846 three-byte characters = 65,538 bytes, only 21,846 chars: the limit counts bytes, not chars. */
    private static final String OVER_MAX_IN_UTF8_ONLY = "\u20AC".repeat(21_846);

    static Stream<Arguments> validTopicNames() {
        return Stream.of(
                Arguments.of("simple level", "a"),
                Arguments.of("several levels", "sport/tennis/player1"),
                Arguments.of("leading separator gives an empty first level [MQTT-4.7.1]", "/finance"),
                Arguments.of("trailing separator gives an empty last level", "finance/"),
                Arguments.of("only a separator: two empty levels", "/"),
                Arguments.of("empty middle levels", "a//b"),
                Arguments.of("space is a normal character", "sport/ tennis"),
                Arguments.of("$ topic", "$SYS/broker/uptime"),
                Arguments.of("non-ASCII", "capteurs/température/été"),
                Arguments.of("supplementary character (4-byte UTF-8)", "emoji/\uD83D\uDE00"),
                Arguments.of("exactly 65,535 bytes [MQTT-4.7.3-3]", MAX_BYTES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validTopicNames")
    void validTopicName_isAccepted(String label, String value) {
        TopicName name = TopicName.of(value);
        assertThat(name.value()).isEqualTo(value);
        assertThat(String.join("/", name.levels())).as("levels rebuild the name").isEqualTo(value);
    }

    static Stream<Arguments> invalidTopicNames() {
        return Stream.of(
                Arguments.of("empty [MQTT-4.7.3-1]", "", TopicRule.NOT_EMPTY),
                Arguments.of("null character [MQTT-4.7.3-2]", "a/\u0000/b", TopicRule.NO_NULL_CHARACTER),
                Arguments.of("over 65,535 bytes [MQTT-4.7.3-3]", OVER_MAX_BYTES, TopicRule.MAX_LENGTH),
                Arguments.of("over 65,535 bytes once UTF-8 encoded", OVER_MAX_IN_UTF8_ONLY, TopicRule.MAX_LENGTH),
                Arguments.of("unpaired high surrogate [MQTT-1.5.4-1]", "a/\uD800", TopicRule.WELL_FORMED_UTF8),
                Arguments.of("unpaired low surrogate [MQTT-1.5.4-1]", "\uDC00/a", TopicRule.WELL_FORMED_UTF8),
                Arguments.of("'+' in a topic name [MQTT-3.3.2-2]", "a/+/b", TopicRule.NO_WILDCARD_IN_TOPIC_NAME),
                Arguments.of("'#' in a topic name [MQTT-3.3.2-2]", "a/#", TopicRule.NO_WILDCARD_IN_TOPIC_NAME),
                Arguments.of("'+' inside a level of a topic name", "a+b", TopicRule.NO_WILDCARD_IN_TOPIC_NAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTopicNames")
    void invalidTopicName_isRejectedNamingTheRule(String label, String value, TopicRule rule) {
        assertThatThrownBy(() -> TopicName.of(value))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining(rule.specId())
                .asInstanceOf(type(InvalidTopicException.class))
                .extracting(InvalidTopicException::rule)
                .isEqualTo(rule);
        assertThat(TopicName.isValid(value)).isFalse();
    }

    @Test
    void nullTopicName_isRejectedAsEmpty() {
        assertThatThrownBy(() -> TopicName.of(null)).isInstanceOf(InvalidTopicException.class);
    }

    static Stream<Arguments> illFormedUtf8() {
        return Stream.of(
                Arguments.of("lone continuation byte", new byte[] {'a', (byte) 0x80}),
                Arguments.of("truncated two-byte sequence", new byte[] {(byte) 0xC3}),
                Arguments.of("overlong encoding of '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("encoded surrogate U+D800 [MQTT-1.5.4-1]",
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("byte 0xFF", new byte[] {(byte) 0xFF}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormedUtf8")
    void illFormedUtf8Bytes_areRejected(String label, byte[] bytes) {
        assertThatThrownBy(() -> TopicName.fromUtf8(bytes))
                .isInstanceOf(InvalidTopicException.class)
                .extracting(e -> ((InvalidTopicException) e).rule())
                .isEqualTo(TopicRule.WELL_FORMED_UTF8);
        assertThatThrownBy(() -> TopicFilter.fromUtf8(bytes)).isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void wellFormedUtf8Bytes_decode() {
        assertThat(TopicName.fromUtf8("été/\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)).value())
                .isEqualTo("été/\uD83D\uDE00");
    }

    static Stream<Arguments> validFilters() {
        return Stream.of(
                Arguments.of("multi-level alone [MQTT-4.7.1-2]", "#"),
                Arguments.of("multi-level after a separator", "sport/tennis/#"),
                Arguments.of("single-level alone [MQTT-4.7.1-3]", "+"),
                Arguments.of("single-level in the middle", "sport/+/player1"),
                Arguments.of("single-level twice", "+/+"),
                Arguments.of("single-level with empty level", "/+"),
                Arguments.of("both wildcards", "+/tennis/#"),
                Arguments.of("no wildcard", "sport/tennis"),
                Arguments.of("empty levels", "a//#"),
                Arguments.of("$ filter", "$SYS/#"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFilters")
    void validFilter_isAccepted(String label, String value) {
        assertThat(TopicFilter.of(value).value()).isEqualTo(value);
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                Arguments.of("empty [MQTT-4.7.3-1]", "", TopicRule.NOT_EMPTY),
                Arguments.of("null character [MQTT-4.7.3-2]", "a/\u0000", TopicRule.NO_NULL_CHARACTER),
                Arguments.of("too long [MQTT-4.7.3-3]", OVER_MAX_BYTES, TopicRule.MAX_LENGTH),
                Arguments.of("unpaired surrogate [MQTT-1.5.4-1]", "a/\uDBFF/#", TopicRule.WELL_FORMED_UTF8),
                Arguments.of("'#' not last [MQTT-4.7.1-2]", "sport/tennis/#/ranking",
                        TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL),
                Arguments.of("'#' glued to a level [MQTT-4.7.1-2]", "sport/tennis#",
                        TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL),
                Arguments.of("'##'", "a/##", TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL),
                Arguments.of("'+' glued to a level [MQTT-4.7.1-3]", "sport+",
                        TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL),
                Arguments.of("'+' inside a middle level", "a/b+c/d", TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL),
                Arguments.of("'++'", "++", TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFilters")
    void invalidFilter_isRejectedNamingTheRule(String label, String value, TopicRule rule) {
        assertThatThrownBy(() -> TopicFilter.of(value))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining(rule.specId())
                .extracting(e -> ((InvalidTopicException) e).rule())
                .isEqualTo(rule);
    }

    static Stream<Arguments> invalidShared() {
        return Stream.of(
                Arguments.of("empty share name [MQTT-4.8.2-1]", "$share//a", TopicRule.SHARE_NAME_NOT_EMPTY),
                Arguments.of("'+' in share name [MQTT-4.8.2-2]", "$share/g+/a", TopicRule.SHARE_NAME_CHARACTERS),
                Arguments.of("'#' in share name [MQTT-4.8.2-2]", "$share/#/a", TopicRule.SHARE_NAME_CHARACTERS),
                Arguments.of("no filter after the share name [MQTT-4.8.2-2]", "$share/group",
                        TopicRule.SHARED_FILTER_PRESENT),
                Arguments.of("empty filter after the share name [MQTT-4.8.2-2]", "$share/group/",
                        TopicRule.SHARED_FILTER_PRESENT),
                Arguments.of("invalid filter inside [MQTT-4.7.1-2]", "$share/g/a/#/b",
                        TopicRule.MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL),
                Arguments.of("null character [MQTT-4.7.3-2]", "$share/g\u0000/a", TopicRule.NO_NULL_CHARACTER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidShared")
    void invalidSharedSubscription_isRejectedBeforeUse(String label, String value, TopicRule rule) {
        assertThatThrownBy(() -> SubscriptionTopic.parse(value))
                .isInstanceOf(InvalidTopicException.class)
                .extracting(e -> ((InvalidTopicException) e).rule())
                .isEqualTo(rule);
    }

    @Test
    void sharePrefix_makesASharedSubscription_withShareNameAndFilter() {
        SubscriptionTopic parsed = SubscriptionTopic.parse("$share/consumers/sensors/+/temp");
        assertThat(parsed).isInstanceOf(SharedSubscription.class);
        SharedSubscription shared = (SharedSubscription) parsed;
        assertThat(shared.shareName()).isEqualTo("consumers");
        assertThat(shared.filter()).isEqualTo(TopicFilter.of("sensors/+/temp"));
        assertThat(SharedSubscription.of("consumers", TopicFilter.of("sensors/+/temp"))).isEqualTo(shared);
    }

    @Test
    void filtersThatOnlyLookShared_arePlainFilters() {
        assertThat(SubscriptionTopic.parse("$share")).isInstanceOf(TopicFilter.class);
        assertThat(SubscriptionTopic.parse("$shared/a")).isInstanceOf(TopicFilter.class);
        assertThat(SubscriptionTopic.parse("share/a/b")).isInstanceOf(TopicFilter.class);
    }

    @Test
    void exceptionMessage_showsInputAndRule_andShortensLongInput() {
        assertThatThrownBy(() -> TopicFilter.of("a/#/b"))
                .hasMessage("topic filter \"a/#/b\" is invalid: '#' must occupy a whole level and be the last level"
                        + " of the filter ('#' at level 1 of 3) [MQTT-4.7.1-2]");
        assertThatThrownBy(() -> TopicName.of(OVER_MAX_BYTES + "x"))
                .hasMessageContaining("...(65537 chars)")
                .hasMessageContaining("65537 bytes");
    }
}
