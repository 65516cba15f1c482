package dev.mqttsuite.topic.index;

import dev.mqttsuite.topic.TopicFilter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one shared subscription, identified by share name and filter together (MQTT 5.0 section 4.8.2).
 * Membership is a copy-on-write array (members change rarely, messages are picked often); writes happen under the
 * owning trie node's lock.
 *
 * @param <S> the subscriber type
 * @param <O> the subscription options type
 */
public final class SharedGroup<S, O> {

    /** One member and the options it subscribed with. */
    public record Member<S, O>(S subscriber, O options) {
    }

    private static final Member<?, ?>[] EMPTY = new Member<?, ?>[0];

    private final String shareName;
    private final TopicFilter filter;
    private final AtomicInteger cursor = new AtomicInteger();
    @SuppressWarnings("unchecked")
    private volatile Member<S, O>[] members = (Member<S, O>[]) EMPTY;

    SharedGroup(String shareName, TopicFilter filter) {
        this.shareName = shareName;
        this.filter = filter;
    }

    public String shareName() {
        return shareName;
    }

    public TopicFilter filter() {
        return filter;
    }

    /** A snapshot of the members. */
    public List<Member<S, O>> members() {
        return List.of(members);
    }

    public int size() {
        return members.length;
    }

    /**
     * Picks the next member, round-robin, that satisfies {@code eligible} (e.g. "is connected and has inflight room");
     * null when none does. Lock-free; fair over time under concurrent callers.
     */
    public Member<S, O> next(Predicate<? super Member<S, O>> eligible) {
        Member<S, O>[] snapshot = members;
        int n = snapshot.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Member<S, O> candidate = snapshot[(start + i) % n];
            if (eligible.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Adds or replaces a member; returns the previous options or null. Caller holds the node lock. */
    O put(S subscriber, O options) {
        Member<S, O>[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i].subscriber().equals(subscriber)) {
                Member<S, O>[] copy = current.clone();
                copy[i] = new Member<>(subscriber, options);
                members = copy;
                return current[i].options();
            }
        }
        Member<S, O>[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = new Member<>(subscriber, options);
        members = grown;
        return null;
    }

    /** Removes a member; returns its options or null. Caller holds the node lock. */
    O remove(S subscriber) {
        Member<S, O>[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (Objects.equals(current[i].subscriber(), subscriber)) {
                @SuppressWarnings("unchecked")
                Member<S, O>[] shrunk = (Member<S, O>[]) new Member<?, ?>[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                members = shrunk;
                return current[i].options();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "$share/" + shareName + "/" + filter + " " + members();
    }
}
