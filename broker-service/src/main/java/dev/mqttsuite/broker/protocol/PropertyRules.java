package dev.mqttsuite.broker.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which MQTT 5 property may appear in which client-to-server packet, and its data type (MQTT 5.0 section 2.2.2.2).
 * An identifier not valid for the packet is a Malformed Packet; a repeated one (other than User Property) a Protocol
 * Error.
 */
final class PropertyRules {

    /** Where a property block sits. */
    enum Context { CONNECT, WILL, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, AUTH }

    enum Type { BYTE, TWO_BYTE, FOUR_BYTE, VARINT, UTF8, BINARY, UTF8_PAIR }

    record Rule(int id, Type type, Set<Context> contexts) {
    }

    private static final Rule[] RULES = new Rule[0x2B];

    static {
        Set<Context> acks = EnumSet.of(Context.PUBACK, Context.PUBREC, Context.PUBREL, Context.PUBCOMP);
        rule(0x01, Type.BYTE, EnumSet.of(Context.PUBLISH, Context.WILL));
        rule(0x02, Type.FOUR_BYTE, EnumSet.of(Context.PUBLISH, Context.WILL));
        rule(0x03, Type.UTF8, EnumSet.of(Context.PUBLISH, Context.WILL));
        rule(0x08, Type.UTF8, EnumSet.of(Context.PUBLISH, Context.WILL));
        rule(0x09, Type.BINARY, EnumSet.of(Context.PUBLISH, Context.WILL));
        rule(0x0B, Type.VARINT, EnumSet.of(Context.PUBLISH, Context.SUBSCRIBE));
        rule(0x11, Type.FOUR_BYTE, EnumSet.of(Context.CONNECT, Context.DISCONNECT));
        rule(0x15, Type.UTF8, EnumSet.of(Context.CONNECT, Context.AUTH));
        rule(0x16, Type.BINARY, EnumSet.of(Context.CONNECT, Context.AUTH));
        rule(0x17, Type.BYTE, EnumSet.of(Context.CONNECT));
        rule(0x18, Type.FOUR_BYTE, EnumSet.of(Context.WILL));
        rule(0x19, Type.BYTE, EnumSet.of(Context.CONNECT));
        rule(0x1C, Type.UTF8, EnumSet.of(Context.DISCONNECT));
        Set<Context> reasonString = EnumSet.copyOf(acks);
        reasonString.add(Context.DISCONNECT);
        reasonString.add(Context.AUTH);
        rule(0x1F, Type.UTF8, reasonString);
        rule(0x21, Type.TWO_BYTE, EnumSet.of(Context.CONNECT));
        rule(0x22, Type.TWO_BYTE, EnumSet.of(Context.CONNECT));
        rule(0x23, Type.TWO_BYTE, EnumSet.of(Context.PUBLISH));
        rule(0x26, Type.UTF8_PAIR, EnumSet.allOf(Context.class));
        rule(0x27, Type.FOUR_BYTE, EnumSet.of(Context.CONNECT));
    }

    private PropertyRules() {
    }

    private static void rule(int id, Type type, Set<Context> contexts) {
        RULES[id] = new Rule(id, type, contexts);
    }

    /** The rule for {@code id} in {@code context}, or null when the identifier is not valid there. */
    static Rule lookup(int id, Context context) {
        if (id < 0 || id >= RULES.length || RULES[id] == null) {
            return null;
        }
        Rule rule = RULES[id];
        return rule.contexts().contains(context) ? rule : null;
    }
}
