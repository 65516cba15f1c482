package dev.mqttsuite.topic.index;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.TopicRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscription index: a trie of topic levels holding (subscriber, filter, options) for plain subscriptions and
 * per-group members for shared subscriptions.
 *
 * <p>Thread-safety: safe for concurrent use from any number of threads (event loops). Matching is lock-free and
 * never blocks; subscribe/unsubscribe take short per-node monitors, one at a time along the path (pruning takes a
 * parent and then its child). A match that runs concurrently with a subscribe or unsubscribe of the same filter may or
 * may not see it; every completed operation is seen by every match that starts after it. The design and its
 * alternatives are in docs/adr/0002-subscription-index-concurrency.md.
 *
 * <p>Cost: a match visits only trie nodes on paths that can match the topic (the exact level, '+' and '#' at each
 * depth), so it grows with the topic depth and the number of matching subscriptions, not with the number of
 * subscriptions in the index.
 *
 * @param <S> the subscriber identity (equals/hashCode must identify one session)
 * @param <O> the subscription options (QoS, no-local, subscription identifier, ...)
 */
public final class SubscriptionIndex<S, O> {

    /** The default cap on filter depth, also Moquette's lesson: unbounded depth is a memory attack. */
    public static final int DEFAULT_MAX_LEVELS = 32;

    private static final String SINGLE = "+";
    private static final String MULTI = "#";

    private final Node<S, O> root = new Node<>(null, null);
    private final int maxLevels;
    private final LongAdder subscriptions = new LongAdder();

    public SubscriptionIndex() {
        this(DEFAULT_MAX_LEVELS);
    }

    /**
     * @param maxLevels the deepest filter accepted (levels); topic names may be deeper but then only match filters
     *     ending in '#'
     */
    public SubscriptionIndex(int maxLevels) {
        if (maxLevels < 1) {
            throw new IllegalArgumentException("maxLevels must be at least 1, was " + maxLevels);
        }
        this.maxLevels = maxLevels;
    }

    public int maxLevels() {
        return maxLevels;
    }

    /**
     * Adds or replaces a subscription. A subscriber has at most one subscription per filter (and per shared
     * subscription): subscribing again replaces its options [MQTT-3.8.4-3].
     *
     * @return the options it replaced, or null when the subscription is new
     * @throws InvalidTopicException when the filter is deeper than {@link #maxLevels()}
     */
    public O subscribe(S subscriber, SubscriptionTopic topic, O options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        TopicFilter filter = topic.filter();
        if (filter.depth() > maxLevels) {
            throw new InvalidTopicException(TopicRule.MAX_LEVELS, "topic filter", topic.value(),
                    filter.depth() + " levels, maximum " + maxLevels);
        }
        while (true) {
            Node<S, O> node = walkCreating(filter);
            if (node == null) {
                continue; // a node on the path was pruned while we walked: start again
            }
            synchronized (node) {
                if (node.removed) {
                    continue;
                }
                O previous = topic instanceof SharedSubscription shared
                        ? node.putShared(shared.shareName(), filter, subscriber, options)
                        : node.putSubscriber(subscriber, options);
                if (previous == null) {
                    subscriptions.increment();
                }
                return previous;
            }
        }
    }

    /**
     * Removes a subscription.
     *
     * @return the removed subscription's options, or null when there was none (MQTT 5: UNSUBACK 0x11)
     */
    public O unsubscribe(S subscriber, SubscriptionTopic topic) {
        TopicFilter filter = topic.filter();
        if (filter.depth() > maxLevels) {
            return null;
        }
        while (true) {
            Node<S, O> node = walk(filter);
            if (node == null) {
                return null;
            }
            O previous;
            synchronized (node) {
                if (node.removed) {
                    continue;
                }
                previous = topic instanceof SharedSubscription shared
                        ? node.removeShared(shared.shareName(), subscriber)
                        : node.removeSubscriber(subscriber);
            }
            if (previous != null) {
                subscriptions.decrement();
                prune(node);
            }
            return previous;
        }
    }

    /** Reports every subscription that matches {@code topic} to the visitor. Lock-free. */
    public void match(TopicName topic, MatchVisitor<S, O> visitor) {
        match(root, topic, 0, visitor);
    }

    /** Convenience for tests and tools: collects the matches into lists. Allocates; prefer the visitor. */
    public Matches<S, O> match(TopicName topic) {
        Matches<S, O> matches = new Matches<>(new ArrayList<>(), new ArrayList<>());
        match(topic, matches);
        return matches;
    }

    /** Number of subscriptions (plain subscriptions plus shared-group memberships). */
    public long size() {
        return subscriptions.sum();
    }

    /** Collected matches. */
    public record Matches<S, O>(List<SharedGroup.Member<S, O>> subscriptions, List<SharedGroup<S, O>> sharedGroups)
            implements MatchVisitor<S, O> {
        @Override
        public void onSubscription(S subscriber, O options) {
            subscriptions.add(new SharedGroup.Member<>(subscriber, options));
        }

        @Override
        public void onSharedGroup(SharedGroup<S, O> group) {
            sharedGroups.add(group);
        }
    }

    private void match(Node<S, O> node, TopicName topic, int index, MatchVisitor<S, O> visitor) {
        if (index == topic.depth()) {
            node.emit(visitor);
            Node<S, O> multi = node.child(MULTI);
            if (multi != null) {
                multi.emit(visitor); // "a/#" matches "a" [MQTT-4.7.1-2]
            }
            return;
        }
        if (node.children == null) {
            return;
        }
        Node<S, O> exact = node.child(topic.level(index));
        if (exact != null) {
            match(exact, topic, index + 1, visitor);
        }
        if (index == 0 && topic.isSystemTopic()) {
            return; // [MQTT-4.7.2-1] no leading wildcard matches a '$' topic
        }
        Node<S, O> single = node.child(SINGLE);
        if (single != null) {
            match(single, topic, index + 1, visitor);
        }
        Node<S, O> multi = node.child(MULTI);
        if (multi != null) {
            multi.emit(visitor);
        }
    }

    /** Walks to the filter's node, creating missing nodes; null when a node on the path was pruned meanwhile. */
    private Node<S, O> walkCreating(TopicFilter filter) {
        Node<S, O> node = root;
        for (int i = 0; i < filter.depth(); i++) {
            synchronized (node) {
                if (node.removed) {
                    return null;
                }
                node = node.childOrCreate(filter.level(i));
            }
        }
        return node;
    }

    private Node<S, O> walk(TopicFilter filter) {
        Node<S, O> node = root;
        for (int i = 0; i < filter.depth() && node != null; i++) {
            node = node.child(filter.level(i));
        }
        return node;
    }

    /** Unlinks empty nodes bottom-up. Locks parent then child, the only two-lock order anywhere. */
    private void prune(Node<S, O> node) {
        Node<S, O> current = node;
        while (current.parent != null) {
            Node<S, O> parent = current.parent;
            synchronized (parent) {
                synchronized (current) {
                    if (current.removed || !current.isEmpty()) {
                        return;
                    }
                    current.removed = true;
                    parent.children.remove(current.level, current);
                }
            }
            current = parent;
        }
    }
}
