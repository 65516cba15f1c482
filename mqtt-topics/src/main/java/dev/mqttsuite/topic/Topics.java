package dev.mqttsuite.topic;

import dev.mqttsuite.text.MalformedUtf8Exception;
import dev.mqttsuite.text.Utf8;

/** Shared checks and helpers of the topic algebra. Package-private building blocks of the value types. */
final class Topics {

    static final int MAX_UTF8_BYTES = 65_535;
    static final char SEPARATOR = '/';
    static final String SINGLE_LEVEL = "+";
    static final String MULTI_LEVEL = "#";

    private Topics() {
    }

    /**
     * Checks the rules common to topic names and filters: not empty, no U+0000, well-formed UTF-16 (so well-formed
     * UTF-8 once encoded), at most 65,535 bytes. Computes the UTF-8 length without encoding.
     */
    static void checkCommon(String value, String kind) {
        if (value == null || value.isEmpty()) {
            throw new InvalidTopicException(TopicRule.NOT_EMPTY, kind, value);
        }
        int utf8;
        try {
            utf8 = Utf8.encodedLength(value);
        } catch (MalformedUtf8Exception e) {
            throw invalid(e, kind, value);
        }
        if (utf8 > MAX_UTF8_BYTES) {
            throw new InvalidTopicException(TopicRule.MAX_LENGTH, kind, value, utf8 + " bytes");
        }
    }

    /** Strictly decodes UTF-8 bytes; ill-formed input (including encoded surrogates) and U+0000 are rejected. */
    static String decodeUtf8(byte[] bytes, String kind) {
        try {
            return Utf8.decodeMqttString(bytes);
        } catch (MalformedUtf8Exception e) {
            throw invalid(e, kind, "<" + bytes.length + " bytes>");
        }
    }

    private static InvalidTopicException invalid(MalformedUtf8Exception e, String kind, String input) {
        TopicRule rule = e.problem() == MalformedUtf8Exception.Problem.NULL_CHARACTER ? TopicRule.NO_NULL_CHARACTER
                : TopicRule.WELL_FORMED_UTF8;
        return new InvalidTopicException(rule, kind, input, e.problem().description() + " at index " + e.index());
    }

    /** Splits on '/', keeping empty levels: "a//b/" has four levels "a", "", "b", "". */
    static String[] split(String value) {
        int count = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == SEPARATOR) {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        int level = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == SEPARATOR) {
                levels[level++] = value.substring(start, i);
                start = i + 1;
            }
        }
        levels[level] = value.substring(start);
        return levels;
    }
}
