package dev.mqttsuite.text;

/** Bytes or characters that are not an MQTT UTF-8 Encoded String; says which rule was broken and where. */
public final class MalformedUtf8Exception extends IllegalArgumentException {

    /** The rule broken, with the statement of the specification it comes from. */
    public enum Problem {
        /** Not well-formed UTF-8 (RFC 3629): invalid byte, overlong form, encoded surrogate, beyond U+10FFFF. */
        ILL_FORMED("[MQTT-1.5.4-1]", "ill-formed UTF-8"),
        /** A UTF-16 surrogate without its pair: no well-formed UTF-8 encodes it. */
        UNPAIRED_SURROGATE("[MQTT-1.5.4-1]", "unpaired surrogate"),
        /** The null character U+0000. */
        NULL_CHARACTER("[MQTT-1.5.4-2]", "U+0000");

        private final String specId;
        private final String description;

        Problem(String specId, String description) {
            this.specId = specId;
            this.description = description;
        }

        public String specId() {
            return specId;
        }

        public String description() {
            return description;
        }
    }

    private final Problem problem;
    private final int index;

    MalformedUtf8Exception(Problem problem, int index) {
        super(problem.description() + " at index " + index + " " + problem.specId());
        this.problem = problem;
        this.index = index;
    }

    public Problem problem() {
        return problem;
    }

    /** The offset of the offending byte (from the start of the decoded range) or char. */
    public int index() {
        return index;
    }
}
