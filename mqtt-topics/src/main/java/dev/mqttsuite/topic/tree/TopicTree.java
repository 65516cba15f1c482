package dev.mqttsuite.topic.tree;

import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
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
        matchIterator(filter).forEachRemaining(sink);
    }

    /** Collects the matches into a list (allocates; for tools and tests). */
    public List<V> match(TopicFilter filter) {
        List<V> out = new ArrayList<>();
        match(filter, out::add);
        return out;
    }

    /**
     * The matches as a lazy iterator: each {@code next()} walks only as far as the next matching value, so a caller
     * can stream millions of matches under flow control without collecting them. The walk visits only branches the
     * filter can match; its pending-work stack holds at most the children of the nodes on the current paths.
     */
    public Iterator<V> matchIterator(TopicFilter filter) {
        return new MatchIterator<>(root, filter);
    }

    /** Every stored value ('$' topics included), lazily; weakly consistent with concurrent writes. */
    public Iterator<V> iterator() {
        return new MatchIterator<>(root, null);
    }

    /** Pending work of the match walk: a node reached at a filter level, or a whole subtree under a '#'. */
    private record Step<V>(Node<V> node, int index, boolean wholeSubtree) {
    }

    private static final class MatchIterator<V> implements Iterator<V> {
        private final Node<V> root;
        private final TopicFilter filter;
        private final ArrayDeque<Step<V>> pending = new ArrayDeque<>();
        private V next;

        MatchIterator(Node<V> root, TopicFilter filter) {
            this.root = root;
            this.filter = filter;
            pending.push(new Step<>(root, 0, filter == null));
        }

        @Override
        public boolean hasNext() {
            while (next == null && !pending.isEmpty()) {
                next = advance(pending.pop());
            }
            return next != null;
        }

        @Override
        public V next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            V value = next;
            next = null;
            return value;
        }

        /** Processes one step, pushing further steps; returns a value it yields, or null. */
        private V advance(Step<V> step) {
            Node<V> node = step.node();
            ConcurrentHashMap<String, Node<V>> children = node.children;
            if (step.wholeSubtree()) {
                if (children != null) {
                    for (Node<V> child : children.values()) {
                        pending.push(new Step<>(child, 0, true));
                    }
                }
                return node.value;
            }
            int index = step.index();
            if (index == filter.depth()) {
                return node == root ? null : node.value;
            }
            String level = filter.level(index);
            boolean skipDollar = index == 0;
            if (level.equals("#")) {
                if (children != null) {
                    for (Node<V> child : children.values()) {
                        if (!(skipDollar && child.level.startsWith("$"))) {
                            pending.push(new Step<>(child, 0, true)); // [MQTT-4.7.2-1]
                        }
                    }
                }
                return node == root ? null : node.value; // '#' matches the parent level [MQTT-4.7.1-2]
            }
            if (children == null) {
                return null;
            }
            if (level.equals("+")) {
                for (Node<V> child : children.values()) {
                    if (!(skipDollar && child.level.startsWith("$"))) {
                        pending.push(new Step<>(child, index + 1, false)); // [MQTT-4.7.2-1]
                    }
                }
                return null;
            }
            Node<V> child = children.get(level);
            if (child != null) {
                pending.push(new Step<>(child, index + 1, false));
            }
            return null;
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
