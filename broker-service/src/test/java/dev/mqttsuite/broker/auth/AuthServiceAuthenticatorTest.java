package dev.mqttsuite.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.auth.v1.Rule;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The auth-service's answers become CONNACK denials or locally compiled permissions (the shared rule mapper). */
class AuthServiceAuthenticatorTest {

    private static final Identity ALICE = Identity.newBuilder().setKind("password").setPrincipal("alice")
            .setUsername("alice").setClientId("sensor-1").build();

    private static AuthenticateReply.Builder allowed() {
        return AuthenticateReply.newBuilder().setOutcome(AuthenticateReply.Outcome.ALLOWED).setIdentity(ALICE);
    }

    private static Rule rule(Rule.Effect effect, Rule.Action action, String pattern, int priority) {
        return Rule.newBuilder().setEffect(effect).setAction(action).setPattern(pattern).setPriority(priority).build();
    }

    @Test
    void allowedRules_areCompiledForTheIdentity_withPlaceholdersAndPriorities() {
        AuthResult result = AuthServiceAuthenticator.toResult(allowed()
                .addRules(rule(Rule.Effect.ALLOW, Rule.Action.PUBLISH, "d/%u/#", 1))
                .addRules(rule(Rule.Effect.DENY, Rule.Action.PUBLISH, "d/%u/secret", 5))
                .addRules(rule(Rule.Effect.ALLOW, Rule.Action.SUBSCRIBE, "c/%c/#", 1)).build());
        assertThat(result).isInstanceOf(AuthResult.Allowed.class);
        Permissions permissions = ((AuthResult.Allowed) result).permissions();
        assertThat(permissions.mayPublish(TopicName.of("d/alice/t"), 1, false)).isTrue();
        assertThat(permissions.mayPublish(TopicName.of("d/bob/t"), 1, false)).as("%u is alice only").isFalse();
        assertThat(permissions.mayPublish(TopicName.of("d/alice/secret"), 0, false))
                .as("higher-priority deny wins").isFalse();
        assertThat(permissions.maySubscribe(TopicFilter.of("c/sensor-1/+"), 0)).isTrue();
        assertThat(permissions.mayReceive(TopicName.of("c/sensor-1/x"))).as("receive follows subscribe").isTrue();
    }

    @Test
    void qosCeilingAndRetainLimits_travelWithTheRule() {
        Rule limited = rule(Rule.Effect.ALLOW, Rule.Action.PUBLISH, "t/#", 0).toBuilder().setMaxQos(1)
                .setAllowRetain(false).build();
        Permissions permissions = ((AuthResult.Allowed) AuthServiceAuthenticator.toResult(allowed().addRules(limited)
                .build())).permissions();
        assertThat(permissions.mayPublish(TopicName.of("t/x"), 1, false)).isTrue();
        assertThat(permissions.mayPublish(TopicName.of("t/x"), 2, false)).isFalse();
        assertThat(permissions.mayPublish(TopicName.of("t/x"), 0, true)).isFalse();
    }

    @Test
    void anUnknownEffectFromANewerAuthService_deniesRatherThanGrants() {
        Rule unknown = rule(Rule.Effect.ALLOW, Rule.Action.PUBLISH, "t/#", 0).toBuilder().setEffectValue(7).build();
        Permissions permissions = ((AuthResult.Allowed) AuthServiceAuthenticator.toResult(allowed().addRules(unknown)
                .build())).permissions();
        assertThat(permissions.mayPublish(TopicName.of("t/x"), 0, false)).isFalse();
    }

    @Test
    void aSuperuser_getsAll_andTheTokenExpiryIsKept() {
        AuthResult.Allowed result = (AuthResult.Allowed) AuthServiceAuthenticator.toResult(allowed().setSuperuser(true)
                .setExpiresAtMillis(1_000).build());
        assertThat(result.permissions()).isSameAs(Permissions.ALL);
        assertThat(result.superuser()).isTrue();
        assertThat(result.expiresAt()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void aDenial_keepsItsConnackReason_andAnUnknownCodeBecomesNotAuthorized() {
        AuthResult bad = AuthServiceAuthenticator.toResult(AuthenticateReply.newBuilder()
                .setOutcome(AuthenticateReply.Outcome.DENIED).setReasonCode(0x86).setReason("bad").build());
        assertThat(bad).isEqualTo(new AuthResult.Denied(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad"));
        AuthResult unknown = AuthServiceAuthenticator.toResult(AuthenticateReply.newBuilder()
                .setOutcome(AuthenticateReply.Outcome.DENIED).setReasonCode(0x42).setReason("?").build());
        assertThat(unknown).isEqualTo(new AuthResult.Denied(ConnackReasonCode.NOT_AUTHORIZED, "?"));
    }
}
