package dev.mqttsuite.broker.retained;

import java.nio.charset.StandardCharsets;

/**
 * The topics one retained read has already handed to its subscription, so that a read resumed after a failure skips
 * them (no retained message twice). Kept as 64-bit fingerprints in an open-addressing table: 8-16 bytes a topic instead
 * of ~100 for a set of strings, which matters for a {@code #} read of 10^6 messages. Two different topics share a
 * fingerprint with probability ~n²/2^65 (3·10^-8 for n = 10^6); that would only ever skip a message on a resumed read,
 * never send one twice. Not thread-safe: the owner serializes access.
 */
final class DeliveredTopics {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long[] slots = new long[16]; // 0 = empty; fingerprints are never 0
    private int size;

    /** Records {@code topic}; false if it was recorded already. */
    boolean add(String topic) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (insert(slots, fingerprint(topic))) {
            size++;
            return true;
        }
        return false;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (long f : slots) {
            if (f != 0) {
                insert(larger, f);
            }
        }
        slots = larger;
    }

    private static boolean insert(long[] table, long fingerprint) {
        int mask = table.length - 1;
        for (int i = (int) fingerprint & mask; ; i = (i + 1) & mask) {
            if (table[i] == fingerprint) {
                return false;
            }
            if (table[i] == 0) {
                table[i] = fingerprint;
                return true;
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes, then MurmurHash3's 64-bit finalizer to spread the bits. */
    static long fingerprint(String topic) {
        long h = FNV_OFFSET;
        for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
