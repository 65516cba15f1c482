package dev.mqttsuite.broker.auth;

import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;

/**
 * A session's effective permissions, compiled once at CONNECT (and recompiled on live ACL changes) and evaluated
 * locally: no network round trip per message. Implementations must be immutable and thread-safe.
 */
public interface Permissions {

    /** Everything allowed: superusers and the explicit {@code broker.auth.allow-anonymous=true} mode. */
    Permissions ALL = new Permissions() {
        @Override
        public boolean mayPublish(TopicName topic, int qos, boolean retain) {
            return true;
        }

        @Override
        public boolean maySubscribe(TopicFilter filter, int qos) {
            return true;
        }

        @Override
        public boolean mayReceive(TopicName topic) {
            return true;
        }

        @Override
        public String toString() {
            return "ALL";
        }
    };

    /** Nothing allowed. */
    Permissions NONE = new Permissions() {
        @Override
        public boolean mayPublish(TopicName topic, int qos, boolean retain) {
            return false;
        }

        @Override
        public boolean maySubscribe(TopicFilter filter, int qos) {
            return false;
        }

        @Override
        public boolean mayReceive(TopicName topic) {
            return false;
        }

        @Override
        public String toString() {
            return "NONE";
        }
    };

    boolean mayPublish(TopicName topic, int qos, boolean retain);

    boolean maySubscribe(TopicFilter filter, int qos);

    /**
     * A shared subscription {@code $share/{group}/{filter}}: its filter and its group (ADR 0013). This default, for
     * permissions without group rules ({@link #ALL}, {@link #NONE}, test doubles), decides by the filter alone.
     */
    default boolean mayJoinShareGroup(SharedSubscription shared, int qos) {
        return maySubscribe(shared.filter(), qos);
    }

    /** Checked at delivery, so a subscription that was allowed once stops receiving when the rules change. */
    boolean mayReceive(TopicName topic);
}
