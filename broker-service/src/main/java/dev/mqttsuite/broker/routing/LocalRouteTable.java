package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.index.MatchVisitor;
import dev.mqttsuite.topic.index.SubscriptionIndex;

/** The single-node route table: the concurrent subscription index of docs/adr/0002. */
public final class LocalRouteTable implements RouteTable {

    private final SubscriptionIndex<Session, SubscriptionOptions> index;

    public LocalRouteTable(int maxTopicLevels) {
        this.index = new SubscriptionIndex<>(maxTopicLevels);
    }

    @Override
    public SubscriptionOptions subscribe(Session session, SubscriptionTopic topic, SubscriptionOptions options) {
        return index.subscribe(session, topic, options);
    }

    @Override
    public SubscriptionOptions unsubscribe(Session session, SubscriptionTopic topic) {
        return index.unsubscribe(session, topic);
    }

    @Override
    public void match(TopicName topic, MatchVisitor<Session, SubscriptionOptions> visitor) {
        index.match(topic, visitor);
    }

    @Override
    public long size() {
        return index.size();
    }
}
