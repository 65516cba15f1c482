package dev.mqttsuite.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.TopicRule;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AclPatternTest {

    private static final AclVariables ALICE = AclVariables.of("alice", "sensor-1", Map.of("tenant", "acme"));

    @ParameterizedTest(name = "{0} for alice/sensor-1/acme -> {1}")
    @CsvSource({
        "devices/%u/#, devices/alice/#",
        "devices/${username}/#, devices/alice/#",
        "clients/%c/out, clients/sensor-1/out",
        "clients/${clientid}/out, clients/sensor-1/out",
        "tenants/${claim.tenant}/+/%u, tenants/acme/+/alice",
        "public/#, public/#"
    })
    void placeholders_areSubstitutedAsWholeLevels(String pattern, String expected) {
        assertThat(AclPattern.compile(pattern).resolve(ALICE)).contains(TopicFilter.of(expected));
    }

    @ParameterizedTest(name = "identity \"{0}\" is never substituted")
    @CsvSource(value = {"#", "+", "a/b", "x#", "+y", "''", "NULL"}, nullValues = "NULL")
    void identityWithWildcardSeparatorOrEmpty_isNeverSubstituted_theRuleMatchesNothing(String username) {
        AclPattern pattern = AclPattern.compile("devices/%u/#");
        AclVariables attacker = AclVariables.of(username, "c", Map.of());
        assertThat(pattern.resolve(attacker)).isEqualTo(Optional.empty());
        assertThat(pattern.matches(TopicName.of("devices/bob/secret"), attacker)).isFalse();
    }

    @Test
    void identityWithNullCharacter_isNeverSubstituted() {
        AclVariables attacker = AclVariables.of("a\u0000b", "c", Map.of());
        assertThat(AclPattern.compile("devices/%u").resolve(attacker)).isEmpty();
    }

    @Test
    void missingClaim_makesTheRuleNotApply() {
        assertThat(AclPattern.compile("t/${claim.region}/#").resolve(ALICE)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource({
        "devices/dev-%u/#, PLACEHOLDER_WHOLE_LEVEL",
        "devices/%c-x, PLACEHOLDER_WHOLE_LEVEL",
        "devices/pre${username}, PLACEHOLDER_WHOLE_LEVEL",
        "devices/${password}, PLACEHOLDER_KNOWN",
        "devices/${claim.}, PLACEHOLDER_KNOWN",
        "devices/#/%u, MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL"
    })
    void badPatterns_areRefusedAtCompileTime(String pattern, TopicRule rule) {
        assertThatThrownBy(() -> AclPattern.compile(pattern))
                .isInstanceOf(InvalidTopicException.class)
                .extracting(e -> ((InvalidTopicException) e).rule())
                .isEqualTo(rule);
    }

    @Test
    void percentSignsThatAreNotPlaceholders_areLiteral() {
        AclPattern pattern = AclPattern.compile("metrics/100%/x");
        assertThat(pattern.hasPlaceholders()).isFalse();
        assertThat(pattern.matches(TopicName.of("metrics/100%/x"), ALICE)).isTrue();
    }

    @Test
    void coversChecksSubscriptionFiltersAfterSubstitution() {
        AclPattern pattern = AclPattern.compile("devices/%u/#");
        assertThat(pattern.covers(TopicFilter.of("devices/alice/+/temp"), ALICE)).isTrue();
        assertThat(pattern.covers(TopicFilter.of("devices/+/temp"), ALICE)).isFalse();
        assertThat(pattern.variables()).containsExactly("username");
    }
}
