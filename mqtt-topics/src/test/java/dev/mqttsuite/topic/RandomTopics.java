package dev.mqttsuite.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of topic names and filters over a small alphabet, so that random filters overlap often and
 * every failure is reproducible from its seed. The alphabet includes an empty level and a '$' level to exercise
 * [MQTT-4.7.2-1].
 */
public final class RandomTopics {

    public static final List<String> LEVELS = List.of("a", "b", "", "$x", "z");
    private static final List<String> FILTER_LEVELS = List.of("a", "b", "", "$x", "+", "+", "#");

    private final Random random;

    public RandomTopics(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    public TopicName topic(int maxDepth) {
        int depth = 1 + random.nextInt(maxDepth);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(LEVELS.get(random.nextInt(LEVELS.size())));
        }
        return sb.isEmpty() ? topic(maxDepth) : TopicName.of(sb.toString());
    }

    public TopicFilter filter(int maxDepth) {
        int depth = 1 + random.nextInt(maxDepth);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('/');
            }
            String level = FILTER_LEVELS.get(random.nextInt(FILTER_LEVELS.size()));
            if (level.equals("#") && i < depth - 1) {
                level = "+";
            }
            sb.append(level);
        }
        return sb.isEmpty() ? filter(maxDepth) : TopicFilter.of(sb.toString());
    }

    /** Every topic name of depth 1..maxDepth over {@link #LEVELS}. */
    public static List<TopicName> allTopics(int maxDepth) {
        List<TopicName> out = new ArrayList<>();
        List<String> current = new ArrayList<>(List.of(""));
        for (int depth = 1; depth <= maxDepth; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                for (String level : LEVELS) {
                    next.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            next.stream().filter(t -> !t.isEmpty()).forEach(t -> out.add(TopicName.of(t)));
            current = next;
        }
        return out;
    }
}
