package dev.mqttsuite.acl;

import static dev.mqttsuite.acl.AclRule.Action.PUBLISH;
import static dev.mqttsuite.acl.AclRule.Action.RECEIVE;
import static dev.mqttsuite.acl.AclRule.Action.SUBSCRIBE;
import static dev.mqttsuite.acl.AclRule.Effect.ALLOW;
import static dev.mqttsuite.acl.AclRule.Effect.DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclRuleSetTest {

    private static final AclVariables ALICE = AclVariables.of("alice", "dev-1", Map.of("tenant", "acme"));

    private static AclRuleSet rules(AclRule... rules) {
        return AclRuleSet.compile(List.of(rules), ALICE);
    }

    @Test
    void noRule_meansDefaultDeny_forPublishSubscribeAndReceive() {
        AclRuleSet empty = rules();
        assertThat(empty.checkPublish(TopicName.of("a"), 0, false).allowed()).isFalse();
        assertThat(empty.checkSubscribe(TopicFilter.of("a"), 0).allowed()).isFalse();
        assertThat(empty.checkReceive(TopicName.of("a")).allowed()).isFalse();
    }

    @Test
    void higherPriority_winsOverLowerPriority() {
        AclRuleSet set = rules(AclRule.of(ALLOW, PUBLISH, "sensors/#", 1), AclRule.of(DENY, PUBLISH, "sensors/secret/#",
                5));
        assertThat(set.checkPublish(TopicName.of("sensors/secret/x"), 0, false).allowed()).isFalse();
        assertThat(set.checkPublish(TopicName.of("sensors/open/x"), 0, false).allowed()).isTrue();
    }

    @Test
    void atEqualPriority_denyBeatsAllow() {
        AclRuleSet set = rules(AclRule.of(ALLOW, PUBLISH, "a/#", 3), AclRule.of(DENY, PUBLISH, "a/b", 3));
        assertThat(set.checkPublish(TopicName.of("a/b"), 0, false).allowed()).isFalse();
        assertThat(set.checkPublish(TopicName.of("a/c"), 0, false).allowed()).isTrue();
    }

    @Test
    void placeholders_areResolvedPerIdentity_andUnsafeIdentitiesGetNothing() {
        AclRule own = AclRule.of(ALLOW, PUBLISH, "devices/%u/#", 0);
        assertThat(rules(own).checkPublish(TopicName.of("devices/alice/t"), 0, false).allowed()).isTrue();
        assertThat(rules(own).checkPublish(TopicName.of("devices/bob/t"), 0, false).allowed()).isFalse();
        AclRuleSet injected = AclRuleSet.compile(List.of(own), AclVariables.of("#", "c", Map.of()));
        assertThat(injected.checkPublish(TopicName.of("devices/bob/t"), 0, false).allowed())
                .as("a username of '#' must not widen the rule").isFalse();
        AclRule tenant = AclRule.of(ALLOW, SUBSCRIBE, "t/${claim.tenant}/#", 0);
        assertThat(rules(tenant).checkSubscribe(TopicFilter.of("t/acme/+"), 1).allowed()).isTrue();
    }

    @Test
    void subscribeRule_mustCoverTheWholeFilter() {
        AclRuleSet set = rules(AclRule.of(ALLOW, SUBSCRIBE, "sensors/+/temp", 0));
        assertThat(set.checkSubscribe(TopicFilter.of("sensors/1/temp"), 0).allowed()).isTrue();
        assertThat(set.checkSubscribe(TopicFilter.of("sensors/#"), 0).allowed()).isFalse();
    }

    @Test
    void qosCeilingAndRetain_limitAllowRules() {
        AclRuleSet set = rules(new AclRule(ALLOW, PUBLISH, AclPattern.compile("t/#"), 0, 1, false));
        assertThat(set.checkPublish(TopicName.of("t/x"), 1, false).allowed()).isTrue();
        assertThat(set.checkPublish(TopicName.of("t/x"), 2, false).allowed()).isFalse();
        assertThat(set.checkPublish(TopicName.of("t/x"), 0, true).allowed()).isFalse();
    }

    @Test
    void receive_followsSubscribeRules_unlessReceiveRulesExist() {
        AclRuleSet viaSubscribe = rules(AclRule.of(ALLOW, SUBSCRIBE, "news/#", 0));
        assertThat(viaSubscribe.checkReceive(TopicName.of("news/x")).allowed()).isTrue();
        AclRuleSet narrowed = rules(AclRule.of(ALLOW, SUBSCRIBE, "news/#", 0),
                AclRule.of(DENY, RECEIVE, "news/private/#", 1), AclRule.of(ALLOW, RECEIVE, "news/#", 0));
        assertThat(narrowed.checkReceive(TopicName.of("news/private/x")).allowed()).isFalse();
        assertThat(narrowed.checkReceive(TopicName.of("news/public")).allowed()).isTrue();
    }

    @Test
    void superuser_isAllowedEverything() {
        assertThat(AclRuleSet.superuser().checkPublish(TopicName.of("$SYS/x"), 2, true).allowed()).isTrue();
    }

    @Test
    void decision_namesTheDecidingRule() {
        AclRule deny = AclRule.of(DENY, PUBLISH, "a/b", 0);
        AclDecision decision = rules(deny).checkPublish(TopicName.of("a/b"), 0, false);
        assertThat(decision.rule()).isEqualTo(deny);
        assertThat(decision.reason()).contains("DENY PUBLISH a/b");
    }

    @Test
    void fromNames_mapsTheStoredAndWireForm_withAllItsLimits() {
        AclRule rule = AclRule.fromNames("ALLOW", "PUBLISH", "t/%u/#", 7, 1, false);
        assertThat(rule).isEqualTo(new AclRule(ALLOW, PUBLISH, AclPattern.compile("t/%u/#"), 7, 1, false));
        assertThat(AclRule.fromNames("DENY", "RECEIVE", "a", 0, null, null))
                .isEqualTo(AclRule.of(DENY, RECEIVE, "a", 0));
    }

    @Test
    void fromNames_anEffectOtherThanAllow_denies_soAnUnknownValueNeverGrants() {
        assertThat(AclRule.fromNames("UNRECOGNIZED", "PUBLISH", "a/#", 0, null, null).effect()).isEqualTo(DENY);
    }

    @Test
    void fromNames_refusesAnUnknownAction_andAnInvalidPattern() {
        assertThatThrownBy(() -> AclRule.fromNames("ALLOW", "UNRECOGNIZED", "a", 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNRECOGNIZED");
        assertThatThrownBy(() -> AclRule.fromNames("ALLOW", "PUBLISH", "a/dev-%u", 0, null, null))
                .isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void aDenySubscribeRuleCannotBeBypassedByAWiderSubscriptionAndAReceiveRule() {
        AclRuleSet set = rules(AclRule.of(DENY, SUBSCRIBE, "secret/#", 1), AclRule.of(ALLOW, SUBSCRIBE, "#", 0),
                AclRule.of(ALLOW, RECEIVE, "#", 0));
        assertThat(set.checkSubscribe(TopicFilter.of("secret/#"), 0).allowed()).isFalse();
        assertThat(set.checkSubscribe(TopicFilter.of("#"), 0).allowed()).as("the wider filter is allowed").isTrue();
        assertThat(set.checkReceive(TopicName.of("secret/plans")).allowed())
                .as("but what it matches under the denied filter is not delivered").isFalse();
        assertThat(set.checkReceive(TopicName.of("news/today")).allowed()).isTrue();
        AclRuleSet carveOut = rules(AclRule.of(ALLOW, SUBSCRIBE, "secret/public/#", 2),
                AclRule.of(DENY, SUBSCRIBE, "secret/#", 1), AclRule.of(ALLOW, RECEIVE, "#", 0));
        assertThat(carveOut.checkReceive(TopicName.of("secret/public/x")).allowed())
                .as("a higher-priority allow still opens its part").isTrue();
    }
}
