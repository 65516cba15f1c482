package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.session.Custody;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicFilter;
import java.util.Collection;

/**
 * Which of this broker's shared groups serve one published message. A single broker serves all of them ({@link #ALL});
 * in a cluster the publishing broker assigns each matching group to one broker with members, and a group assigned
 * elsewhere is not served here (docs/adr/0011, "Shared subscriptions").
 */
@FunctionalInterface
public interface SharedGroupSelector {

    /** Whether one of this broker's members of {@code $share/{shareName}/{filter}} gets the message. */
    boolean servesLocally(String shareName, TopicFilter filter);

    /**
     * The custody another broker keeps of this message for the group, which its delivery here settles when it ends
     * (docs/adr/0011); null when nobody holds a copy.
     */
    default Custody custody(String shareName, TopicFilter filter) {
        return null;
    }

    /** Every local group serves: a single broker. */
    SharedGroupSelector ALL = (shareName, filter) -> true;

    /** No local group serves. */
    SharedGroupSelector NONE = (shareName, filter) -> false;

    /** Only the groups named, each as {@code $share/{shareName}/{filter}}. */
    static SharedGroupSelector only(Collection<String> groups) {
        return groups.isEmpty() ? NONE : (shareName, filter) -> groups.contains(key(shareName, filter));
    }

    /** All groups but the ones named, each as {@code $share/{shareName}/{filter}}. */
    static SharedGroupSelector except(Collection<String> groups) {
        return groups.isEmpty() ? ALL : (shareName, filter) -> !groups.contains(key(shareName, filter));
    }

    /** A group's name as a subscription would spell it: {@code $share/{shareName}/{filter}}. */
    static String key(String shareName, TopicFilter filter) {
        return SubscriptionTopic.SHARE_PREFIX + shareName + '/' + filter.value();
    }
}
