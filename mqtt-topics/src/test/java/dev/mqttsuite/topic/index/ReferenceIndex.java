package dev.mqttsuite.topic.index;

import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The obviously-correct index the trie is compared with: a map scanned filter by filter. Single-threaded. */
final class ReferenceIndex {

    private final Map<String, Map<SubscriptionTopic, Integer>> bySubscriber = new HashMap<>();

    synchronized Integer subscribe(String subscriber, SubscriptionTopic topic, int options) {
        return bySubscriber.computeIfAbsent(subscriber, s -> new HashMap<>()).put(topic, options);
    }

    synchronized Integer unsubscribe(String subscriber, SubscriptionTopic topic) {
        Map<SubscriptionTopic, Integer> subs = bySubscriber.get(subscriber);
        return subs == null ? null : subs.remove(topic);
    }

    /** Adds all of this reference's subscriptions to another (subscribers are disjoint). */
    synchronized void copyInto(ReferenceIndex other) {
        bySubscriber.forEach((subscriber, subs) -> subs.forEach((topic, options) ->
                other.subscribe(subscriber, topic, options)));
    }

    synchronized long size() {
        return bySubscriber.values().stream().mapToLong(Map::size).sum();
    }

    /** Plain matches as sorted "subscriber:options", one entry per matching subscription (a multiset). */
    synchronized List<String> plainMatches(TopicName topic) {
        List<String> out = new ArrayList<>();
        bySubscriber.forEach((subscriber, subs) -> subs.forEach((filter, options) -> {
            if (!(filter instanceof SharedSubscription) && filter.filter().matches(topic)) {
                out.add(subscriber + ":" + options);
            }
        }));
        out.sort(null);
        return out;
    }

    /** A shared group as compared in tests. */
    record GroupView(String shareName, String filter, Set<SharedGroup.Member<String, Integer>> members) {
        static GroupView of(SharedGroup<String, Integer> group) {
            return new GroupView(group.shareName(), group.filter().value(), Set.copyOf(group.members()));
        }
    }

    synchronized Set<GroupView> sharedMatches(TopicName topic) {
        Map<SharedSubscription, Set<SharedGroup.Member<String, Integer>>> groups = new HashMap<>();
        bySubscriber.forEach((subscriber, subs) -> subs.forEach((filter, options) -> {
            if (filter instanceof SharedSubscription shared && shared.filter().matches(topic)) {
                groups.computeIfAbsent(shared, k -> new HashSet<>())
                        .add(new SharedGroup.Member<>(subscriber, options));
            }
        }));
        Set<GroupView> out = new HashSet<>();
        groups.forEach((key, members) -> out.add(new GroupView(key.shareName(), key.filter().value(), members)));
        return out;
    }
}
