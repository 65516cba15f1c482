package dev.mqttsuite.topic;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
        int utf8 = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new InvalidTopicException(TopicRule.NO_NULL_CHARACTER, kind, value, "at index " + i);
            }
            if (c < 0x80) {
                utf8 += 1;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    utf8 += 4;
                    i++;
                } else {
                    throw new InvalidTopicException(TopicRule.WELL_FORMED_UTF8, kind, value,
                            "unpaired surrogate at index " + i);
                }
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidTopicException(TopicRule.WELL_FORMED_UTF8, kind, value,
                        "unpaired surrogate at index " + i);
            } else {
                utf8 += 3;
            }
        }
        if (utf8 > MAX_UTF8_BYTES) {
            throw new InvalidTopicException(TopicRule.MAX_LENGTH, kind, value, utf8 + " bytes");
        }
    }

    /** Strictly decodes UTF-8 bytes; ill-formed input (including encoded surrogates) is rejected. */
    static String decodeUtf8(byte[] bytes, String kind) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTopicException(TopicRule.WELL_FORMED_UTF8, kind, "<" + bytes.length + " bytes>",
                    e.getMessage());
        }
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
