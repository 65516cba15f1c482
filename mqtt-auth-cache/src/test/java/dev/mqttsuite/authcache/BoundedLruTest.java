package dev.mqttsuite.authcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundedLruTest {

    @Test
    void beyondItsSize_theLeastRecentlyUsedEntryIsForgotten() {
        Map<String, Integer> map = BoundedLru.synchronizedMap(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("a", "c");
    }

    @Test
    void sizeZero_holdsNothing() {
        Map<String, Integer> map = BoundedLru.synchronizedMap(0);
        map.put("a", 1);
        assertThat(map).isEmpty();
    }
}
