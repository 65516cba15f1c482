package dev.mqttsuite.topic.jmh;

import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.SplittableRandom;

/**
 * A realistic subscription population: device fleets under {@code site/building/floor/device/metric} style topics of
 * depth 3-7. About 70 % exact filters, 20 % with one '+', 10 % ending in '#', so that a published topic matches a
 * handful of subscriptions while the index holds up to millions.
 */
final class SubscriptionWorkload {

    static final int SITES = 50;
    static final int AREAS = 20;

    private SubscriptionWorkload() {
    }

    /** The i-th concrete topic: deterministic, depth 3..7. */
    static String topic(int i, SplittableRandom random) {
        int depth = 3 + random.nextInt(5);
        StringBuilder sb = new StringBuilder(48);
        sb.append("site").append(i % SITES).append('/').append("area").append((i / SITES) % AREAS);
        sb.append('/').append("dev").append(i);
        for (int level = 3; level < depth; level++) {
            sb.append('/').append("m").append(random.nextInt(4));
        }
        return sb.toString();
    }

    static TopicFilter filterFor(String topic, SplittableRandom random) {
        int kind = random.nextInt(10);
        String[] levels = topic.split("/", -1);
        if (kind < 7) {
            return TopicFilter.of(topic);
        }
        if (kind < 9) {
            levels[random.nextInt(levels.length)] = "+";
            return TopicFilter.of(String.join("/", levels));
        }
        int keep = 2 + random.nextInt(levels.length - 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(keep, levels.length); i++) {
            sb.append(levels[i]).append('/');
        }
        return TopicFilter.of(sb.append('#').toString());
    }

    static TopicName[] publishTopics(int subscriptions, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TopicName[] topics = new TopicName[count];
        for (int i = 0; i < count; i++) {
            topics[i] = TopicName.of(topic(random.nextInt(subscriptions), new SplittableRandom(seed + i)));
        }
        return topics;
    }
}
