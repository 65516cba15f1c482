package dev.mqttsuite.authcache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entries beyond a size: for caches of logins and verified secrets. */
public final class BoundedLru {

    private BoundedLru() {
    }

    /**
     * A thread-safe (synchronized) map holding at most {@code maxEntries} entries; a read counts as a use.
     *
     * @throws IllegalArgumentException when {@code maxEntries} is negative
     */
    public static <K, V> Map<K, V> synchronizedMap(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0, was " + maxEntries);
        }
        return Collections.synchronizedMap(new LinkedHashMap<>(Math.min(maxEntries, 256), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        });
    }
}
