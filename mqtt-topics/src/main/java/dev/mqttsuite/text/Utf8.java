package dev.mqttsuite.text;

import dev.mqttsuite.text.MalformedUtf8Exception.Problem;
import java.nio.charset.StandardCharsets;

/**
 * The suite's one strict UTF-8 implementation (MQTT 5.0 section 1.5.4, MQTT 3.1.1 section 1.5.3): the broker's
 * packet decoder, the topic value types and the payload format check all use it.
 * <ul>
 *   <li>well-formed UTF-8 as defined by Unicode and RFC 3629 [MQTT-1.5.4-1]: no overlong forms, no encoded
 *       surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequences or stray continuation bytes;</li>
 *   <li>no U+0000 in an MQTT string [MQTT-1.5.4-2] (allowed in UTF-8 Encoded Character Data, {@link #isWellFormed});</li>
 *   <li>0xEF 0xBB 0xBF is U+FEFF wherever it appears and is never stripped [MQTT-1.5.4-3];</li>
 *   <li>control characters and noncharacters (U+0001..U+001F, U+007F..U+009F, U+FFFF, U+FDD0 ...) are accepted: the
 *       specification says senders SHOULD NOT send them and receivers MAY refuse them; we do not.</li>
 * </ul>
 * The bytes are validated here (Unicode table 3-7, "well-formed UTF-8 byte sequences"); well-formed input is then
 * turned into a String by the JDK, whose result on well-formed UTF-8 is exact. ASCII, the common case for topics and
 * client identifiers, takes a fast path: one scan, one copy.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Decodes an MQTT UTF-8 Encoded String: well-formed [MQTT-1.5.4-1], without U+0000 [MQTT-1.5.4-2].
     *
     * @throws MalformedUtf8Exception naming the rule and the offset (relative to {@code offset})
     */
    public static String decodeMqttString(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] > 0) { // ASCII without U+0000: the fast path
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1); // ASCII is Latin-1: a plain copy
        }
        int error = firstError(bytes, i, end, false);
        if (error >= 0) {
            throw new MalformedUtf8Exception(bytes[error] == 0 ? Problem.NULL_CHARACTER : Problem.ILL_FORMED,
                    error - offset);
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** {@link #decodeMqttString(byte[], int, int)} of a whole array. */
    public static String decodeMqttString(byte[] bytes) {
        return decodeMqttString(bytes, 0, bytes.length);
    }

    /**
     * Whether the bytes are well-formed UTF-8 [MQTT-1.5.4-1], U+0000 allowed: the test for UTF-8 Encoded Character
     * Data such as a payload whose Payload Format Indicator is 1.
     */
    public static boolean isWellFormed(byte[] bytes) {
        return firstError(bytes, 0, bytes.length, true) < 0;
    }

    /**
     * The number of bytes {@code value} takes in UTF-8, checking that it can be sent as an MQTT string: no unpaired
     * surrogate [MQTT-1.5.4-1], no U+0000 [MQTT-1.5.4-2]. Encodes nothing.
     *
     * @throws MalformedUtf8Exception naming the rule and the char index
     */
    public static int encodedLength(CharSequence value) {
        int bytes = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new MalformedUtf8Exception(Problem.NULL_CHARACTER, i);
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                throw new MalformedUtf8Exception(Problem.UNPAIRED_SURROGATE, i);
            }
        }
        return bytes;
    }

    /**
     * The index of the first byte in {@code [from, end)} that starts an ill-formed sequence (or is U+0000 when
     * {@code allowNull} is false), or -1. Byte ranges from Unicode table 3-7.
     */
    private static int firstError(byte[] b, int from, int end, boolean allowNull) {
        int i = from;
        while (i < end) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                if (lead == 0 && !allowNull) {
                    return i;
                }
                i++;
                continue;
            }
            int need;
            int min = 0x80; // the range of the second byte, narrowed for E0, ED, F0, F4
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                if (lead == 0xE0) {
                    min = 0xA0; // overlong below U+0800
                } else if (lead == 0xED) {
                    max = 0x9F; // U+D800..U+DFFF, the surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                if (lead == 0xF0) {
                    min = 0x90; // overlong below U+10000
                } else if (lead == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return i; // 80..C1 (continuation or overlong two-byte lead) or F5..FF
            }
            if (i + need >= end) {
                return i; // truncated
            }
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
