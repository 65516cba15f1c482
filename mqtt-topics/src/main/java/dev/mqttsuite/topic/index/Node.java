package dev.mqttsuite.topic.index;

import dev.mqttsuite.topic.TopicFilter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of the subscription trie. Reads (matching) are lock-free through the volatile, lazily created concurrent
 * maps; every structural write happens while holding this node's monitor and checks {@link #removed} so that nothing
 * is ever added to a node that pruning has detached. See docs/adr/0002-subscription-index-concurrency.md.
 */
final class Node<S, O> {

    final Node<S, O> parent;
    final String level;

    /** Child nodes by level; the wildcard levels "+" and "#" are children like any other. */
    volatile ConcurrentHashMap<String, Node<S, O>> children;
    /** Plain subscriptions whose filter ends at this node. */
    volatile ConcurrentHashMap<S, O> subscribers;
    /** Shared-subscription groups whose filter ends at this node, by share name. */
    volatile ConcurrentHashMap<String, SharedGroup<S, O>> shared;

    /** Set (under this node's and the parent's lock) when pruning unlinks the node. */
    boolean removed;

    Node(Node<S, O> parent, String level) {
        this.parent = parent;
        this.level = level;
    }

    /** Caller holds this node's lock. */
    Node<S, O> childOrCreate(String childLevel) {
        ConcurrentHashMap<String, Node<S, O>> map = children;
        if (map == null) {
            map = new ConcurrentHashMap<>(4);
            children = map;
        }
        Node<S, O> child = map.get(childLevel);
        if (child == null) {
            child = new Node<>(this, childLevel);
            map.put(childLevel, child);
        }
        return child;
    }

    Node<S, O> child(String childLevel) {
        ConcurrentHashMap<String, Node<S, O>> map = children;
        return map == null ? null : map.get(childLevel);
    }

    /** Caller holds this node's lock. */
    O putSubscriber(S subscriber, O options) {
        ConcurrentHashMap<S, O> map = subscribers;
        if (map == null) {
            map = new ConcurrentHashMap<>(2);
            subscribers = map;
        }
        return map.put(subscriber, options);
    }

    /** Caller holds this node's lock. */
    O removeSubscriber(S subscriber) {
        ConcurrentHashMap<S, O> map = subscribers;
        if (map == null) {
            return null;
        }
        O previous = map.remove(subscriber);
        if (map.isEmpty()) {
            subscribers = null;
        }
        return previous;
    }

    /** Caller holds this node's lock. */
    O putShared(String shareName, TopicFilter filter, S subscriber, O options) {
        ConcurrentHashMap<String, SharedGroup<S, O>> map = shared;
        if (map == null) {
            map = new ConcurrentHashMap<>(2);
            shared = map;
        }
        SharedGroup<S, O> group = map.get(shareName);
        if (group == null) {
            group = new SharedGroup<>(shareName, filter);
            map.put(shareName, group);
        }
        return group.put(subscriber, options);
    }

    /** Caller holds this node's lock. */
    O removeShared(String shareName, S subscriber) {
        ConcurrentHashMap<String, SharedGroup<S, O>> map = shared;
        if (map == null) {
            return null;
        }
        SharedGroup<S, O> group = map.get(shareName);
        if (group == null) {
            return null;
        }
        O previous = group.remove(subscriber);
        if (group.size() == 0) {
            map.remove(shareName);
            if (map.isEmpty()) {
                shared = null;
            }
        }
        return previous;
    }

    /** Caller holds this node's lock. */
    boolean isEmpty() {
        ConcurrentHashMap<String, Node<S, O>> map = children;
        return subscribers == null && shared == null && (map == null || map.isEmpty());
    }

    /** Lock-free: reports this node's subscriptions to the visitor. */
    void emit(MatchVisitor<S, O> visitor) {
        ConcurrentHashMap<S, O> subs = subscribers;
        if (subs != null) {
            subs.forEach(visitor::onSubscription);
        }
        ConcurrentHashMap<String, SharedGroup<S, O>> groups = shared;
        if (groups != null) {
            for (SharedGroup<S, O> group : groups.values()) {
                if (group.size() > 0) {
                    visitor.onSharedGroup(group);
                }
            }
        }
    }
}
