package dev.mqttsuite.retained.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.UserProperty;
import dev.mqttsuite.topic.TopicFilter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every storage adapter must have. Subclasses create the adapter; each test uses its own topic prefix
 * so adapters backed by a shared database need no cleanup between tests.
 */
public abstract class RetainedRepositoryContract {

    protected static final AppendLogRepository.Limits LIMITS = new AppendLogRepository.Limits(1024, 1_000_000,
            100_000_000);

    protected RetainedRepository repository;
    protected String prefix;

    protected abstract RetainedRepository create(AppendLogRepository.Limits limits);

    @BeforeEach
    void open() {
        repository = create(LIMITS);
        prefix = "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeRepository() {
        repository.close();
    }

    protected static RetainedMessage message(String topic, String payload) {
        return RetainedMessage.newBuilder().setTopic(topic).setQos(1)
                .setPayload(ByteString.copyFromUtf8(payload)).build();
    }

    protected void put(RetainedMessage m) {
        repository.put(m).toCompletableFuture().join();
    }

    protected List<String> topics(String filter) {
        List<String> out = new ArrayList<>();
        repository.match(TopicFilter.of(filter)).forEachRemaining(m -> out.add(m.getTopic()));
        return out;
    }

    @Test
    void put_thenGet_returnsTheMessageWithAllItsProperties() {
        RetainedMessage full = message(prefix + "/a", "hello").toBuilder().setContentType("text/plain")
                .setResponseTopic("r/t").setCorrelationData(ByteString.copyFromUtf8("c")).setPayloadFormatIndicator(1)
                .addUserProperties(UserProperty.newBuilder().setKey("k").setValue("v")).build();
        assertThat(repository.put(full).toCompletableFuture().join()).isFalse();
        assertThat(repository.get(prefix + "/a")).contains(full);
    }

    @Test
    void putSameTopic_replaces_andEmptyPayloadDeletes_MQTT_3_3_1_6() {
        put(message(prefix + "/a", "one"));
        assertThat(repository.put(message(prefix + "/a", "two")).toCompletableFuture().join()).isTrue();
        assertThat(repository.get(prefix + "/a").orElseThrow().getPayload().toStringUtf8()).isEqualTo("two");
        assertThat(repository.put(message(prefix + "/a", "")).toCompletableFuture().join()).isTrue();
        assertThat(repository.get(prefix + "/a")).isEmpty();
    }

    @Test
    void match_followsTheTopicAlgebra_includingTheDollarRule() {
        for (String t : List.of("/s/1/temp", "/s/2/temp", "/s/2/hum", "/s", "/x/y/z")) {
            put(message(prefix + t, t));
        }
        put(message("$SYS-" + prefix + "/uptime", "1"));
        assertThat(topics(prefix + "/s/+/temp")).containsExactlyInAnyOrder(prefix + "/s/1/temp", prefix + "/s/2/temp");
        assertThat(topics(prefix + "/s/#")).containsExactlyInAnyOrder(prefix + "/s", prefix + "/s/1/temp",
                prefix + "/s/2/temp", prefix + "/s/2/hum");
        assertThat(topics(prefix + "/+")).containsExactly(prefix + "/s");
        assertThat(topics("+/s")).contains(prefix + "/s");
        assertThat(topics("#")).doesNotContain("$SYS-" + prefix + "/uptime");
        assertThat(topics("$SYS-" + prefix + "/#")).containsExactly("$SYS-" + prefix + "/uptime");
    }

    @Test
    void expiredMessages_areNeverReturned_andPurgeIsBounded() {
        long past = System.currentTimeMillis() - 1000;
        for (int i = 0; i < 5; i++) {
            put(message(prefix + "/old/" + i, "x").toBuilder().setExpiresAtMillis(past).build());
        }
        put(message(prefix + "/old/keep", "x").toBuilder().setExpiresAtMillis(System.currentTimeMillis() + 60_000)
                .build());
        assertThat(topics(prefix + "/old/#")).containsExactly(prefix + "/old/keep");
        assertThat(repository.get(prefix + "/old/0")).isEmpty();
        int first = repository.purgeExpired(System.currentTimeMillis(), 3);
        assertThat(first).as("at most max per sweep").isLessThanOrEqualTo(3);
        int total = first;
        for (int i = 0; i < 10 && total < 5; i++) {
            total += repository.purgeExpired(System.currentTimeMillis(), 3);
        }
        assertThat(total).isGreaterThanOrEqualTo(5);
        assertThat(repository.get(prefix + "/old/keep")).isPresent();
    }

    @Test
    void payloadAboveTheLimit_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> put(message(prefix + "/big", "x".repeat(2000))))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreLimitException.class)
                .hasMessageContaining("retained.limits.max-payload-size");
    }

    @Test
    void deleteMatching_removesExactlyTheMatches() {
        put(message(prefix + "/d/1", "x"));
        put(message(prefix + "/d/2", "x"));
        put(message(prefix + "/e/1", "x"));
        assertThat(repository.deleteMatching(TopicFilter.of(prefix + "/d/+"))).isEqualTo(2);
        assertThat(topics(prefix + "/#")).containsExactly(prefix + "/e/1");
    }

    @Test
    void matchIsLazy_andStreamsLargeResults() {
        int n = 3000;
        List<java.util.concurrent.CompletableFuture<Boolean>> puts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            puts.add(repository.put(message(prefix + "/bulk/" + i, "v")).toCompletableFuture());
        }
        puts.forEach(java.util.concurrent.CompletableFuture::join);
        Iterator<RetainedMessage> it = repository.match(TopicFilter.of(prefix + "/bulk/+"));
        int count = 0;
        while (it.hasNext()) {
            it.next();
            count++;
        }
        assertThat(count).isEqualTo(n);
    }
}
