package dev.mqttsuite.topic.tree;

import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A concurrent map from topic names to values, indexed by a trie of topic levels so that a topic filter is matched by
 * walking only the branches it can match: the retained-message index. A look-up costs in proportion to the nodes it
 * visits and the values it returns, never a scan of every entry.
 *
 * <p>Concurrency follows the subscription index (docs/adr/0002-subscription-index-concurrency.md): lock-free reads,
 * per-node monitors for writes taken one at a time top-down, pruning locks parent then child and marks detached nodes
 * removed so that writers restart.
 *
 * @param <V> the stored value (e.g. a retained message)
 */
public final class TopicTree<V> {

    private static final class Node<V> {
        final Node<V> parent;
        final String level;
        volatile ConcurrentHashMap<String, Node<V>> children;
        volatile V value;
        boolean removed;

        Node(Node<V> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node<V> child(String childLevel) {
            ConcurrentHashMap<String, Node<V>> map = children;
            return map == null ? null : map.get(childLevel);
        }

        boolean isEmpty() {
            ConcurrentHashMap<String, Node<V>> map = children;
            return value == null && (map == null || map.isEmpty());
        }
    }

    private final Node<V> root = new Node<>(null, null);
    private final LongAdder size = new LongAdder();

    /** Stores {@code value} under {@code topic}; returns the value it replaced, or null. */
    public V put(TopicName topic, V value) {
        Objects.requireNonNull(value, "value");
        while (true) {
            Node<V> node = root;
            boolean detached = false;
            for (int i = 0; i < topic.depth() && !detached; i++) {
                synchronized (node) {
                    if (node.removed) {
                        detached = true;
                    } else {
                        ConcurrentHashMap<String, Node<V>> map = node.children;
                        if (map == null) {
                            map = new ConcurrentHashMap<>(4);
                            node.children = map;
                        }
                        node = map.computeIfAbsent(topic.level(i), new NodeFactory<>(node));
                    }
                }
            }
            if (detached) {
                continue;
            }
            synchronized (node) {
                if (node.removed) {
                    continue;
                }
                V previous = node.value;
                node.value = value;
                if (previous == null) {
                    size.increment();
                }
                return previous;
            }
        }
    }

    private record NodeFactory<V>(Node<V> parent) implements java.util.function.Function<String, Node<V>> {
        @Override
        public Node<V> apply(String level) {
            return new Node<>(parent, level);
        }
    }

    /** Removes the value under {@code topic}; returns it, or null. */
    public V remove(TopicName topic) {
        while (true) {
            Node<V> node = find(topic);
            if (node == null) {
                return null;
            }
            V previous;
            synchronized (node) {
                if (node.removed) {
                    continue;
                }
                previous = node.value;
                node.value = null;
            }
            if (previous != null) {
                size.decrement();
                prune(node);
            }
            return previous;
        }
    }

    /** Removes the value only if it is still {@code expected} (used by expiry sweeps). */
    public boolean remove(TopicName topic, V expected) {
        Node<V> node = find(topic);
        if (node == null) {
            return false;
        }
        synchronized (node) {
            if (node.removed || node.value != expected) {
                return false;
            }
            node.value = null;
        }
        size.decrement();
        prune(node);
        return true;
    }

    public V get(TopicName topic) {
        Node<V> node = find(topic);
        return node == null ? null : node.value;
    }

    public long size() {
        return size.sum();
    }

    /**
     * Reports every value whose topic matches {@code filter}, honouring [MQTT-4.7.2-1] (a filter starting with a
     * wildcard does not match topics starting with '$'). Lock-free; weakly consistent with concurrent writes.
     */
    public void match(TopicFilter filter, Consumer<? super V> sink) {
        match(root, filter, 0, sink);
    }

    /** Collects the matches into a list (allocates; for tools and tests). */
    public List<V> match(TopicFilter filter) {
        List<V> out = new ArrayList<>();
        match(filter, out::add);
        return out;
    }

    private void match(Node<V> node, TopicFilter filter, int index, Consumer<? super V> sink) {
        if (index == filter.depth()) {
            V value = node.value;
            if (value != null && node != root) {
                sink.accept(value);
            }
            return;
        }
        String level = filter.level(index);
        ConcurrentHashMap<String, Node<V>> children = node.children;
        if (level.equals("#")) {
            // '#' matches the parent level itself [MQTT-4.7.1-2] and everything below it.
            V parentValue = node == root ? null : node.value;
            if (parentValue != null) {
                sink.accept(parentValue);
            }
            if (children != null) {
                for (Node<V> child : children.values()) {
                    if (index == 0 && child.level.startsWith("$")) {
                        continue; // [MQTT-4.7.2-1]
                    }
                    all(child, sink);
                }
            }
            return;
        }
        if (children == null) {
            return;
        }
        if (level.equals("+")) {
            for (Node<V> child : children.values()) {
                if (index == 0 && child.level.startsWith("$")) {
                    continue; // [MQTT-4.7.2-1]
                }
                match(child, filter, index + 1, sink);
            }
            return;
        }
        Node<V> child = children.get(level);
        if (child != null) {
            match(child, filter, index + 1, sink);
        }
    }

    private void all(Node<V> node, Consumer<? super V> sink) {
        V value = node.value;
        if (value != null) {
            sink.accept(value);
        }
        ConcurrentHashMap<String, Node<V>> children = node.children;
        if (children != null) {
            for (Node<V> child : children.values()) {
                all(child, sink);
            }
        }
    }

    private Node<V> find(TopicName topic) {
        Node<V> node = root;
        for (int i = 0; i < topic.depth() && node != null; i++) {
            node = node.child(topic.level(i));
        }
        return node;
    }

    private void prune(Node<V> node) {
        Node<V> current = node;
        while (current.parent != null) {
            Node<V> parent = current.parent;
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
