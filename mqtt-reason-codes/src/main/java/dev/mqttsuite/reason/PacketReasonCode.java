package dev.mqttsuite.reason;

/**
 * A reason code typed for one packet. Implemented by the per-packet enums, each constant of which names its entry
 * in the {@link ReasonCode} table.
 */
public interface PacketReasonCode {

    /** The table entry behind this packet-specific code. */
    ReasonCode reasonCode();

    default byte code() {
        return reasonCode().code();
    }

    default boolean isError() {
        return reasonCode().isError();
    }

    /**
     * Fails fast when a per-packet enum names a code the table does not allow in its packet(s). Called from each
     * per-packet enum's static initialiser.
     */
    static <E extends Enum<E> & PacketReasonCode> void verify(Class<E> type, PacketType... packets) {
        for (E constant : type.getEnumConstants()) {
            for (PacketType packet : packets) {
                if (!constant.reasonCode().isAllowedIn(packet)) {
                    throw new ExceptionInInitializerError(
                            type.getSimpleName() + "." + constant.name() + " is not allowed in " + packet);
                }
            }
        }
    }

    /** Looks up the per-packet constant for a table entry. */
    static <E extends Enum<E> & PacketReasonCode> E of(Class<E> type, ReasonCode code) {
        for (E constant : type.getEnumConstants()) {
            if (constant.reasonCode() == code) {
                return constant;
            }
        }
        throw new IllegalArgumentException(code + " is not a " + type.getSimpleName());
    }
}
