package dev.mqttsuite.broker.retained;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.tree.TopicTree;
import io.smallrye.mutiny.Multi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Retained messages in memory, indexed by the shared {@link TopicTree}: a wildcard look-up walks only the matching
 * branches. Lost at restart: the retained-store-service provides durability for the suite.
 */
public final class InMemoryRetainedStore implements RetainedStore {

    private final TopicTree<Message> tree = new TopicTree<>();

    @Override
    public CompletionStage<Void> put(Message message) {
        if (message.payload().length == 0) {
            tree.remove(message.topic());
        } else {
            tree.put(message.topic(), message);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Multi<Message> match(TopicFilter filter) {
        return Multi.createFrom().deferred(() -> {
            List<Message> found = tree.match(filter);
            long now = System.currentTimeMillis();
            return Multi.createFrom().iterable(found).select().where(m -> {
                if (m.isExpired(now)) {
                    tree.remove(m.topic(), m); // [MQTT-3.3.2-5] expired retained messages are not delivered
                    return false;
                }
                return true;
            });
        });
    }

    @Override
    public long count() {
        return tree.size();
    }

    @Override
    public String describe() {
        return "in-memory";
    }
}
