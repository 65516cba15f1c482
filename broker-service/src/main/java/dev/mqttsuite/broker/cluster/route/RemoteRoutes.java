package dev.mqttsuite.broker.cluster.route;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.MatchVisitor;
import dev.mqttsuite.topic.index.SharedGroup;
import dev.mqttsuite.topic.index.SubscriptionIndex;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What this broker knows of the other brokers' routes: which member has subscribers for which filter (one route per
 * member and filter, never per subscriber). Kept in the project's subscription index (mqtt-topics), with the member
 * id as the subscriber, so that finding the members a publish must reach is a local, lock-free lookup. A shared
 * route {@code $share/g/f} makes the member a member of group {@code g} in the index: a match reports the group with the
 * brokers that have members of it. This broker's own shared routes are kept here too (added by
 * {@link HazelcastRoutes} directly, not through the map), so that the publishing broker picks among all brokers of a
 * group, itself included, with the group's round-robin.
 *
 * <p>Thread-safety: {@link #matchMembers} runs on any publisher's event loop, concurrently with updates; updates come
 * from one thread (the route listener of {@link HazelcastRoutes}), and the per-member filter sets are concurrent.
 */
public final class RemoteRoutes {

    private final SubscriptionIndex<String, Boolean> index;
    private final Map<String, Set<String>> filtersByMember = new ConcurrentHashMap<>();

    public RemoteRoutes(int maxTopicLevels) {
        this.index = new SubscriptionIndex<>(maxTopicLevels);
    }

    /** Adds a route; returns false if it was known already (or the filter is not one this broker accepts). */
    public boolean add(String memberId, String filter) {
        SubscriptionTopic parsed = parse(filter);
        if (parsed == null) {
            return false;
        }
        try {
            boolean added = index.subscribe(memberId, parsed, Boolean.TRUE) == null;
            filtersByMember.computeIfAbsent(memberId, m -> ConcurrentHashMap.newKeySet()).add(filter);
            return added;
        } catch (InvalidTopicException tooDeep) {
            return false; // deeper than this broker's max-topic-levels: it cannot match a topic accepted here
        }
    }

    /** Removes a route; returns false if it was not known. */
    public boolean remove(String memberId, String filter) {
        SubscriptionTopic parsed = parse(filter);
        if (parsed == null) {
            return false;
        }
        Set<String> filters = filtersByMember.get(memberId);
        if (filters != null) {
            filters.remove(filter);
        }
        return index.unsubscribe(memberId, parsed) != null;
    }

    /** Removes every route of a member that left; returns how many it had. */
    public int removeMember(String memberId) {
        Set<String> filters = filtersByMember.remove(memberId);
        if (filters == null) {
            return 0;
        }
        int removed = 0;
        for (String filter : filters) {
            SubscriptionTopic parsed = parse(filter);
            if (parsed != null && index.unsubscribe(memberId, parsed) != null) {
                removed++;
            }
        }
        return removed;
    }

    /** Forgets every route (before a full reload). */
    public void clear() {
        filtersByMember.keySet().forEach(this::removeMember);
    }

    /**
     * Reports each member with a plain route matching {@code topic}, once per matching route (several filters may name
     * one member). Allocation-free when none matches.
     */
    public void matchMembers(TopicName topic, Consumer<String> member) {
        match(topic, member, group -> { });
    }

    /**
     * Reports the members with plain routes matching {@code topic} (once per route) and the matching shared groups,
     * whose members are the brokers with members of that group (this broker included when it has some).
     */
    public void match(TopicName topic, Consumer<String> member, Consumer<SharedGroup<String, Boolean>> group) {
        index.match(topic, new MatchVisitor<>() {
            @Override
            public void onSubscription(String memberId, Boolean ignored) {
                member.accept(memberId);
            }

            @Override
            public void onSharedGroup(SharedGroup<String, Boolean> shared) {
                group.accept(shared);
            }
        });
    }

    /** Whether any member has a route matching {@code topic}. */
    public boolean isEmpty() {
        return index.size() == 0;
    }

    /** Routes known here (those of other members, and this broker's own shared routes). */
    public long size() {
        return index.size();
    }

    /** Routes of one member known here. */
    public int size(String memberId) {
        Set<String> filters = filtersByMember.get(memberId);
        return filters == null ? 0 : filters.size();
    }

    /** The filters a member has routes for (a copy). */
    public Set<String> filtersOf(String memberId) {
        Set<String> filters = filtersByMember.get(memberId);
        return filters == null ? Set.of() : Set.copyOf(filters);
    }

    private SubscriptionTopic parse(String filter) {
        try {
            return SubscriptionTopic.parse(filter);
        } catch (InvalidTopicException e) {
            return null; // a peer with other limits: its route cannot match any topic this broker accepts
        }
    }
}
