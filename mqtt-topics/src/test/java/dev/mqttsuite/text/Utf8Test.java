package dev.mqttsuite.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.text.MalformedUtf8Exception.Problem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The suite's one UTF-8 decoder against MQTT 5.0 section 1.5.4 and RFC 3629. */
class Utf8Test {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static Stream<Arguments> illFormed() {
        return Stream.of(
                Arguments.of("stray continuation byte 0x80 [MQTT-1.5.4-1]", bytes('a', 0x80), 1),
                Arguments.of("continuation byte 0xBF alone [MQTT-1.5.4-1]", bytes(0xBF), 0),
                Arguments.of("overlong '/' as C0 AF [MQTT-1.5.4-1]", bytes(0xC0, 0xAF), 0),
                Arguments.of("overlong U+0000 as C0 80 (modified UTF-8) [MQTT-1.5.4-1]", bytes('x', 0xC0, 0x80), 1),
                Arguments.of("overlong two-byte lead C1 [MQTT-1.5.4-1]", bytes(0xC1, 0xBF), 0),
                Arguments.of("overlong three-byte U+007F as E0 81 BF [MQTT-1.5.4-1]", bytes(0xE0, 0x81, 0xBF), 0),
                Arguments.of("overlong three-byte U+07FF as E0 9F BF [MQTT-1.5.4-1]", bytes(0xE0, 0x9F, 0xBF), 0),
                Arguments.of("overlong four-byte U+FFFF as F0 8F BF BF [MQTT-1.5.4-1]",
                        bytes(0xF0, 0x8F, 0xBF, 0xBF), 0),
                Arguments.of("encoded high surrogate U+D800 (ED A0 80) [MQTT-1.5.4-1]", bytes(0xED, 0xA0, 0x80), 0),
                Arguments.of("encoded low surrogate U+DFFF (ED BF BF) [MQTT-1.5.4-1]", bytes('a', 0xED, 0xBF, 0xBF), 1),
                Arguments.of("surrogate pair encoded as two three-byte sequences (CESU-8) [MQTT-1.5.4-1]",
                        bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), 0),
                Arguments.of("above U+10FFFF: F4 90 80 80 [MQTT-1.5.4-1]", bytes(0xF4, 0x90, 0x80, 0x80), 0),
                Arguments.of("lead byte F5 [MQTT-1.5.4-1]", bytes(0xF5, 0x80, 0x80, 0x80), 0),
                Arguments.of("byte 0xFE [MQTT-1.5.4-1]", bytes('a', 'b', 0xFE), 2),
                Arguments.of("byte 0xFF [MQTT-1.5.4-1]", bytes(0xFF), 0),
                Arguments.of("truncated two-byte sequence at the end [MQTT-1.5.4-1]", bytes('a', 0xC3), 1),
                Arguments.of("truncated three-byte sequence at the end [MQTT-1.5.4-1]", bytes(0xE2, 0x82), 0),
                Arguments.of("truncated four-byte sequence at the end [MQTT-1.5.4-1]", bytes(0xF0, 0x9F, 0x98), 0),
                Arguments.of("two-byte lead followed by ASCII [MQTT-1.5.4-1]", bytes(0xC3, 0x28), 0),
                Arguments.of("three-byte sequence with a bad third byte [MQTT-1.5.4-1]", bytes(0xE2, 0x82, 0x28), 0),
                Arguments.of("four-byte sequence with a bad fourth byte [MQTT-1.5.4-1]",
                        bytes(0xF0, 0x9F, 0x98, 0xC0), 0),
                Arguments.of("error after valid multi-byte characters [MQTT-1.5.4-1]",
                        bytes(0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0x80), 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormed")
    void illFormedBytes_areRefusedWithTheOffsetOfTheBadSequence(String label, byte[] bytes, int index) {
        assertThatThrownBy(() -> Utf8.decodeMqttString(bytes))
                .as(label)
                .isInstanceOfSatisfying(MalformedUtf8Exception.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.ILL_FORMED);
                    assertThat(e.index()).isEqualTo(index);
                    assertThat(e.getMessage()).contains("[MQTT-1.5.4-1]");
                });
        assertThat(Utf8.isWellFormed(bytes)).as(label).isFalse();
    }

    static Stream<Arguments> nullCharacter() {
        return Stream.of(
                Arguments.of("U+0000 alone [MQTT-1.5.4-2]", bytes(0), 0),
                Arguments.of("U+0000 inside ASCII [MQTT-1.5.4-2]", bytes('a', 0, 'b'), 1),
                Arguments.of("U+0000 after a multi-byte character [MQTT-1.5.4-2]", bytes(0xC3, 0xA9, 0), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullCharacter")
    void nullCharacter_isRefusedInAnMqttString_butIsWellFormedUtf8(String label, byte[] bytes, int index) {
        assertThatThrownBy(() -> Utf8.decodeMqttString(bytes))
                .as(label)
                .isInstanceOfSatisfying(MalformedUtf8Exception.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.NULL_CHARACTER);
                    assertThat(e.index()).isEqualTo(index);
                    assertThat(e.getMessage()).contains("[MQTT-1.5.4-2]");
                });
        assertThat(Utf8.isWellFormed(bytes)).as("UTF-8 Encoded Character Data may hold U+0000").isTrue();
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("empty string", ""),
                Arguments.of("ASCII topic", "sensors/building-7/floor-3/temperature"),
                Arguments.of("U+007F DEL, largest one-byte code point", "a\u007Fb"),
                Arguments.of("U+0080, smallest two-byte code point", "\u0080"),
                Arguments.of("U+07FF, largest two-byte code point", "\u07FF"),
                Arguments.of("U+0800, smallest three-byte code point", "\u0800"),
                Arguments.of("U+D7FF, just below the surrogates", "\uD7FF"),
                Arguments.of("U+E000, just above the surrogates", "\uE000"),
                Arguments.of("U+10000, smallest four-byte code point", "\uD800\uDC00"),
                Arguments.of("U+10FFFF, the largest code point", "\uDBFF\uDFFF"),
                Arguments.of("emoji U+1F600 in a topic", "été/\uD83D\uDE00"),
                Arguments.of("control characters U+0001 U+001F U+009F are accepted (MAY refuse, we do not)",
                        "\u0001\u001F\u009F"),
                Arguments.of("noncharacters U+FFFF U+FFFE U+FDD0 U+1FFFF are accepted (MAY refuse, we do not)",
                        "\uFFFF\uFFFE\uFDD0\uD83F\uDFFF"),
                Arguments.of("U+FEFF inside and at the start is kept, never stripped [MQTT-1.5.4-3]",
                        "\uFEFFa\uFEFFb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void wellFormedStrings_decodeToTheSameCharacters(String label, String value) {
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decodeMqttString(encoded)).as(label).isEqualTo(value);
        assertThat(Utf8.isWellFormed(encoded)).as(label).isTrue();
        assertThat(Utf8.encodedLength(value)).as(label + ": UTF-8 length").isEqualTo(encoded.length);
    }

    @Test
    void byteOrderMark_isDecodedAsUFeff_notSkipped_MQTT_1_5_4_3() {
        assertThat(Utf8.decodeMqttString(bytes(0xEF, 0xBB, 0xBF, 'a')))
                .as("0xEF 0xBB 0xBF is U+FEFF and MUST NOT be skipped or stripped [MQTT-1.5.4-3]")
                .isEqualTo("\uFEFFa");
    }

    @Test
    void decodesARangeInsideALargerArray() {
        byte[] frame = bytes(0xFF, 'a', 0xC3, 0xA9, 0xFF);
        assertThat(Utf8.decodeMqttString(frame, 1, 3)).isEqualTo("aé");
        assertThat(Utf8.decodeMqttString(frame, 1, 1)).as("ASCII fast path in a range").isEqualTo("a");
        assertThatThrownBy(() -> Utf8.decodeMqttString(frame, 1, 2))
                .as("a sequence cut by the end of the range is truncated, bytes past the range are not read")
                .isInstanceOfSatisfying(MalformedUtf8Exception.class, e -> assertThat(e.index()).isEqualTo(1));
    }

    @Test
    void asciiFastPath_returnsTheSameStringAsTheJdk() {
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 0x80; c++) {
            all.append(c);
        }
        byte[] ascii = all.toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(Utf8.decodeMqttString(ascii)).isEqualTo(all.toString());
    }

    static Stream<Arguments> unpairedSurrogates() {
        return Stream.of(
                Arguments.of("high surrogate at the end [MQTT-1.5.4-1]", "ab\uD800", 2),
                Arguments.of("high surrogate followed by a letter [MQTT-1.5.4-1]", "\uD83Dx", 0),
                Arguments.of("low surrogate alone [MQTT-1.5.4-1]", "a\uDC00", 1),
                Arguments.of("reversed pair [MQTT-1.5.4-1]", "\uDE00\uD83D", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unpairedSurrogates")
    void encodedLength_refusesUnpairedSurrogates(String label, String value, int index) {
        assertThatThrownBy(() -> Utf8.encodedLength(value))
                .as(label)
                .isInstanceOfSatisfying(MalformedUtf8Exception.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.UNPAIRED_SURROGATE);
                    assertThat(e.index()).isEqualTo(index);
                });
    }

    @Test
    void encodedLength_refusesUPlus0000_MQTT_1_5_4_2() {
        assertThatThrownBy(() -> Utf8.encodedLength("a\u0000"))
                .isInstanceOfSatisfying(MalformedUtf8Exception.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NULL_CHARACTER));
    }

    @Test
    void everyCodePoint_roundTrips() {
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            String s = new String(Character.toChars(cp));
            byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
            if (!s.equals(Utf8.decodeMqttString(encoded)) || Utf8.encodedLength(s) != encoded.length) {
                throw new AssertionError(String.format("U+%04X does not round-trip", cp));
            }
        }
    }

    /**
     * Every sequence of one and two bytes, and three- and four-byte sequences over every lead and second byte (the
     * bytes that decide overlong forms, surrogates and the U+10FFFF limit) with representative later bytes, compared
     * with the JDK's strict decoder (which reports, not replaces).
     */
    @Test
    void agreesWithTheJdksStrictDecoder_onEveryShortSequence() {
        CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(8);
        byte[] one = new byte[1];
        for (int a = 0; a < 256; a++) {
            one[0] = (byte) a;
            compare(jdk, chars, one);
        }
        byte[] two = new byte[2];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                two[0] = (byte) a;
                two[1] = (byte) b;
                compare(jdk, chars, two);
            }
        }
        int[] tails = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        byte[] three = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : tails) {
                    three[0] = (byte) a;
                    three[1] = (byte) b;
                    three[2] = (byte) c;
                    compare(jdk, chars, three);
                }
            }
        }
        byte[] four = new byte[4];
        for (int a = 0xE0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : tails) {
                    for (int d : tails) {
                        four[0] = (byte) a;
                        four[1] = (byte) b;
                        four[2] = (byte) c;
                        four[3] = (byte) d;
                        compare(jdk, chars, four);
                    }
                }
            }
        }
    }

    private static void compare(CharsetDecoder jdk, CharBuffer chars, byte[] bytes) {
        chars.clear();
        boolean expected = !jdk.reset().decode(ByteBuffer.wrap(bytes), chars, true).isError()
                && !jdk.flush(chars).isError();
        if (Utf8.isWellFormed(bytes) != expected) {
            throw new AssertionError("disagreement with the JDK on " + java.util.HexFormat.ofDelimiter(" ")
                    .formatHex(bytes) + ": JDK says " + (expected ? "well-formed" : "ill-formed"));
        }
    }
}
