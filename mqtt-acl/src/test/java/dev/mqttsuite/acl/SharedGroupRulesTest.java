package dev.mqttsuite.acl;

import static dev.mqttsuite.acl.AclRule.Action.RECEIVE;
import static dev.mqttsuite.acl.AclRule.Action.SUBSCRIBE;
import static dev.mqttsuite.acl.AclRule.Effect.ALLOW;
import static dev.mqttsuite.acl.AclRule.Effect.DENY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shared-subscription group names are authorized, not only the filter (ADR 0013). */
class SharedGroupRulesTest {

    private static final AclVariables ALICE = AclVariables.of("alice", "dev-1", Map.of());

    private static AclRuleSet rules(AclRule... rules) {
        return AclRuleSet.compile(List.of(rules), ALICE);
    }

    private static boolean share(AclRuleSet set, String value) {
        return set.checkSharedSubscribe(SharedSubscription.of(value), 1).allowed();
    }

    @Test
    void filterAllowedButNoShareRule_groupIsDenied() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "jobs/#", 0));
        assertThat(set.checkSubscribe(TopicFilter.of("jobs/a"), 1).allowed()).as("plain subscription").isTrue();
        assertThat(share(set, "$share/workers/jobs/a")).isFalse();
        assertThat(set.checkSharedSubscribe(SharedSubscription.of("$share/workers/jobs/a"), 1).reason())
                .contains("workers");
    }

    @Test
    void allowEverythingWithHash_doesNotGrantShareGroups_MQTT_4_7_2_1() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "#", 0));
        assertThat(share(set, "$share/g/jobs/a")).isFalse();
    }

    @Test
    void shareRuleForANamedGroup_allowsThatGroupOnly() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "jobs/#", 0),
                AclRule.of(ALLOW, SUBSCRIBE, "$share/workers/jobs/#", 0));
        assertThat(share(set, "$share/workers/jobs/a")).isTrue();
        assertThat(share(set, "$share/thieves/jobs/a")).isFalse();
    }

    @Test
    void shareRuleWithAPlusGroup_allowsAnyGroupOnItsFilters() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "#", 0), AclRule.of(ALLOW, SUBSCRIBE, "$share/+/jobs/#", 0));
        assertThat(share(set, "$share/any/jobs/x/y")).isTrue();
        assertThat(share(set, "$share/any/other")).as("filter outside the share rule").isFalse();
    }

    @Test
    void shareRuleWithTheUserPlaceholder_allowsTheGroupNamedAfterTheUser() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "jobs/#", 0), AclRule.of(ALLOW, SUBSCRIBE, "$share/%u/#", 0));
        assertThat(share(set, "$share/alice/jobs/1")).isTrue();
        assertThat(share(set, "$share/bob/jobs/1")).isFalse();
    }

    @Test
    void shareRuleDoesNotReopenADeniedFilter() {
        AclRuleSet set = rules(AclRule.of(DENY, SUBSCRIBE, "jobs/secret/#", 5), AclRule.of(ALLOW, SUBSCRIBE, "jobs/#", 0),
                AclRule.of(ALLOW, SUBSCRIBE, "$share/+/#", 0));
        assertThat(share(set, "$share/g/jobs/open")).isTrue();
        assertThat(share(set, "$share/g/jobs/secret/x")).isFalse();
    }

    @Test
    void denyShareRuleWithHigherPriority_winsForItsGroup() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "jobs/#", 0), AclRule.of(ALLOW, SUBSCRIBE, "$share/+/#", 0),
                AclRule.of(DENY, SUBSCRIBE, "$share/admins/#", 9));
        assertThat(share(set, "$share/admins/jobs/a")).isFalse();
        assertThat(share(set, "$share/users/jobs/a")).isTrue();
    }

    @Test
    void shareRules_changeNothingForPlainSubscriptionsOrReceiving() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "$share/+/#", 0), AclRule.of(ALLOW, RECEIVE, "x/#", 0));
        assertThat(set.checkSubscribe(TopicFilter.of("jobs/a"), 0).allowed()).isFalse();
        assertThat(set.checkReceive(TopicName.of("jobs/a")).allowed()).isFalse();
    }

    @Test
    void superuser_mayJoinAnyGroup() {
        assertThat(share(AclRuleSet.superuser(), "$share/g/a")).isTrue();
    }
}
