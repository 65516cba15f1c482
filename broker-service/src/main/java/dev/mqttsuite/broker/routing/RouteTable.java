package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.MatchVisitor;

/**
 * The port where subscriptions become routes and a published topic is looked up. Today's implementation is
 * {@link LocalRouteTable} (this broker's subscription index); a cluster wraps it to announce this node's filters and to
 * learn which other nodes have subscribers (routes per node, not per subscriber).
 */
public interface RouteTable {

    /** Adds or replaces a session's subscription; returns the previous options or null. */
    SubscriptionOptions subscribe(Session session, SubscriptionTopic topic, SubscriptionOptions options);

    /** Removes a session's subscription; returns its options or null if it had none. */
    SubscriptionOptions unsubscribe(Session session, SubscriptionTopic topic);

    /** Visits this node's sessions and shared groups whose filters match {@code topic}. */
    void match(TopicName topic, MatchVisitor<Session, SubscriptionOptions> visitor);

    /** Subscriptions on this node. */
    long size();
}
