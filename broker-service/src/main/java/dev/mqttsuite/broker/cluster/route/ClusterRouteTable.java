package dev.mqttsuite.broker.cluster.route;

import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.MatchVisitor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route table of a clustered broker: a decorator of this broker's own table. Subscriptions stay in the local table
 * (the {@link #match} the router uses sees local sessions only); on top, it counts this broker's subscriptions per
 * filter and tells the {@link Announcer} when a filter gets its first subscriber or loses its last, so that the
 * cluster learns one route per broker and filter, never one per subscriber. A shared subscription
 * {@code $share/g/f} is a route of its own, {@code $share/g/f} (one per broker and group, however many members it has
 * here): it tells the publishing brokers that this broker can serve group {@code g}, and they assign each message of
 * the group to one such broker.
 *
 * <p>Thread-safety: any event loop may subscribe and unsubscribe; the count per filter changes atomically and may dip
 * below zero for a moment when an unsubscribe overtakes its subscribe on another thread, so the announcer is told
 * after every change that crosses zero and reads {@link #hasRoute} itself (last state wins).
 */
public final class ClusterRouteTable implements RouteTable {

    /** Told that this broker's route for a filter may have appeared or disappeared. Must not block. */
    @FunctionalInterface
    public interface Announcer {
        void routeChanged(String filter);
    }

    private final RouteTable local;
    private final ConcurrentHashMap<String, Integer> subscriptionsPerFilter = new ConcurrentHashMap<>();
    private volatile Announcer announcer = filter -> { };

    public ClusterRouteTable(RouteTable local) {
        this.local = local;
    }

    /** Sends route changes to {@code target} from now on, after announcing every filter this broker has now. */
    public void announceTo(Announcer target) {
        this.announcer = target;
        subscriptionsPerFilter.keySet().forEach(target::routeChanged);
    }

    @Override
    public SubscriptionOptions subscribe(Session session, SubscriptionTopic topic, SubscriptionOptions options) {
        SubscriptionOptions previous = local.subscribe(session, topic, options);
        if (previous == null) {
            count(topic.value(), 1);
        }
        return previous;
    }

    @Override
    public SubscriptionOptions unsubscribe(Session session, SubscriptionTopic topic) {
        SubscriptionOptions previous = local.unsubscribe(session, topic);
        if (previous != null) {
            count(topic.value(), -1);
        }
        return previous;
    }

    private void count(String filter, int delta) {
        boolean[] crossed = new boolean[1];
        subscriptionsPerFilter.compute(filter, (key, count) -> {
            int before = count == null ? 0 : count;
            int after = before + delta;
            crossed[0] = before <= 0 != after <= 0;
            return after == 0 ? null : after;
        });
        if (crossed[0]) {
            announcer.routeChanged(filter);
        }
    }

    /**
     * Whether this broker has at least one subscription with this filter, or one member of this shared group when
     * {@code filter} is {@code $share/g/f} (its route should exist).
     */
    public boolean hasRoute(String filter) {
        Integer count = subscriptionsPerFilter.get(filter);
        return count != null && count > 0;
    }

    /** The filters this broker has subscriptions for now (a copy). */
    public Set<String> filters() {
        return Set.copyOf(subscriptionsPerFilter.keySet());
    }

    /** Distinct filters of this broker: the routes it announces. */
    public int routeCount() {
        return subscriptionsPerFilter.size();
    }

    @Override
    public void match(TopicName topic, MatchVisitor<Session, SubscriptionOptions> visitor) {
        local.match(topic, visitor);
    }

    @Override
    public long size() {
        return local.size();
    }
}
