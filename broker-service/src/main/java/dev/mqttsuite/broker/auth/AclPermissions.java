package dev.mqttsuite.broker.auth;

import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;

/** {@link Permissions} backed by a compiled {@link AclRuleSet}: evaluated locally, no network call per message. */
public final class AclPermissions implements Permissions {

    private final AclRuleSet rules;

    public AclPermissions(AclRuleSet rules) {
        this.rules = rules;
    }

    @Override
    public boolean mayPublish(TopicName topic, int qos, boolean retain) {
        return rules.checkPublish(topic, qos, retain).allowed();
    }

    @Override
    public boolean maySubscribe(TopicFilter filter, int qos) {
        return rules.checkSubscribe(filter, qos).allowed();
    }

    /** The filter and a {@code $share/...} SUBSCRIBE rule covering the group ({@link AclRuleSet#checkSharedSubscribe}). */
    @Override
    public boolean mayJoinShareGroup(SharedSubscription shared, int qos) {
        return rules.checkSharedSubscribe(shared, qos).allowed();
    }

    @Override
    public boolean mayReceive(TopicName topic) {
        return rules.checkReceive(topic).allowed();
    }

    @Override
    public String toString() {
        return rules.size() + " rules";
    }
}
