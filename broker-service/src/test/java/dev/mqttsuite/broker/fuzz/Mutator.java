package dev.mqttsuite.broker.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic mutations of one valid packet: bit flips, interesting byte values, inserted, deleted, duplicated or
 * truncated ranges, a changed packet type or flags, a wrong Remaining Length; half the mutants get their Remaining
 * Length recomputed, so that the changed body passes the framing and reaches the packet decoders and handlers.
 */
final class Mutator {

    private static final int[] INTERESTING = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x3F, 0x40, 0x2B, 0x23, 0x2F};

    private final SplittableRandom random;

    Mutator(SplittableRandom random) {
        this.random = random;
    }

    byte[] mutate(byte[] valid) {
        byte[] packet = valid.clone();
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            packet = once(packet);
        }
        return random.nextBoolean() ? fixLength(packet) : packet;
    }

    private byte[] once(byte[] p) {
        if (p.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(p.length);
        switch (random.nextInt(9)) {
            case 0 -> p[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> p[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> p[at] = (byte) random.nextInt(256);
            case 3 -> { // insert random bytes
                byte[] extra = new byte[1 + random.nextInt(8)];
                for (int i = 0; i < extra.length; i++) {
                    extra[i] = (byte) random.nextInt(256);
                }
                return splice(p, at, 0, extra);
            }
            case 4 -> { // delete a range
                return splice(p, at, Math.min(p.length - at, 1 + random.nextInt(8)), new byte[0]);
            }
            case 5 -> { // duplicate a range
                int length = Math.min(p.length - at, 1 + random.nextInt(16));
                return splice(p, at, 0, Arrays.copyOfRange(p, at, at + length));
            }
            case 6 -> { // truncate
                return Arrays.copyOf(p, at);
            }
            case 7 -> p[0] = (byte) ((random.nextInt(16) << 4) | (p[0] & 0x0F)); // another packet type
            default -> p[0] = (byte) ((p[0] & 0xF0) | random.nextInt(16)); // other flags (QoS 3, DUP, RETAIN)
        }
        return p;
    }

    private static byte[] splice(byte[] p, int at, int remove, byte[] insert) {
        byte[] out = new byte[p.length - remove + insert.length];
        System.arraycopy(p, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(p, at + remove, out, at + insert.length, p.length - at - remove);
        return out;
    }

    /** The packet with its Remaining Length recomputed from the bytes behind the (original) fixed header. */
    static byte[] fixLength(byte[] p) {
        if (p.length < 2) {
            return p;
        }
        int headerEnd = 1;
        while (headerEnd < p.length && headerEnd < 5 && (p[headerEnd] & 0x80) != 0) {
            headerEnd++;
        }
        headerEnd = Math.min(headerEnd + 1, p.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p[0]);
        int body = p.length - headerEnd;
        dev.mqttsuite.broker.support.RawMqttClient.writeVarInt(out, body);
        out.write(p, headerEnd, body);
        return out.toByteArray();
    }
}
