package dev.mqttsuite.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: {@link TopicFilter#covers} is exactly "every topic the other filter matches, this one matches too",
 * checked against every topic of a bounded universe (filters of depth at most 3 are always told apart by a topic of
 * depth at most 4 over this alphabet, which includes a level no filter names).
 */
class FilterAlgebraPropertyTest {

    private static final List<TopicName> UNIVERSE = RandomTopics.allTopics(4);

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void covers_isExactlySemanticInclusion(long seed) {
        RandomTopics random = new RandomTopics(seed);
        for (int pair = 0; pair < 40; pair++) {
            TopicFilter mine = random.filter(3);
            TopicFilter theirs = random.random().nextInt(4) == 0 ? mine : random.filter(3);
            boolean included = UNIVERSE.stream().allMatch(t -> !theirs.matches(t) || mine.matches(t));
            assertThat(mine.covers(theirs))
                    .as("seed %d: %s covers %s", seed, mine, theirs)
                    .isEqualTo(included);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void exactFilterOfATopic_matchesOnlyThatTopic(long seed) {
        RandomTopics random = new RandomTopics(seed);
        TopicName topic = random.topic(4);
        TopicFilter exact = TopicFilter.exactly(topic);
        for (TopicName other : UNIVERSE) {
            assertThat(exact.matches(other)).as("%s ~ %s", exact, other).isEqualTo(other.equals(topic));
        }
    }
}
