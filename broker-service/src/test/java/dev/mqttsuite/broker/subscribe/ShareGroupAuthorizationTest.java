package dev.mqttsuite.broker.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsuite.acl.AclRule;
import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.acl.AclVariables;
import dev.mqttsuite.broker.auth.AclPermissions;
import dev.mqttsuite.broker.auth.AuthRequest;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Shared-subscription group names are authorized (ADR 0013, security issue #16): with ACL rules that allow the
 * filter {@code jobs/#} and the group {@code $share/workers/jobs/#}, another group on the same filter gets SUBACK 0x87.
 */
@QuarkusTest
@TestProfile(ShareGroupAuthorizationTest.WithAcl.class)
class ShareGroupAuthorizationTest extends BrokerTest {

    public static class WithAcl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.auth.allow-anonymous", "false");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AclAuthenticator.class);
        }
    }

    /** Every login gets the same ACL rules, evaluated by the suite's ACL engine as for the auth-service. */
    @Alternative
    @ApplicationScoped
    public static class AclAuthenticator implements Authenticator {
        @Override
        public CompletionStage<AuthResult> authenticate(AuthRequest request) {
            List<AclRule> rules = List.of(AclRule.of(AclRule.Effect.ALLOW, AclRule.Action.SUBSCRIBE, "jobs/#", 0),
                    AclRule.of(AclRule.Effect.ALLOW, AclRule.Action.SUBSCRIBE, "$share/workers/jobs/#", 0),
                    AclRule.of(AclRule.Effect.ALLOW, AclRule.Action.PUBLISH, "jobs/#", 0));
            AclRuleSet set = AclRuleSet.compile(rules, AclVariables.of(request.username(), request.clientId(),
                    Map.of()));
            return CompletableFuture.completedFuture(new AuthResult.Allowed(
                    request.username() == null ? "anonymous" : request.username(), new AclPermissions(set), null,
                    false));
        }

        @Override
        public String describe() {
            return "ACL test authenticator";
        }
    }

    private List<Mqtt5SubAckReasonCode> subscribe(Mqtt5BlockingClient client, String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes();
        } catch (Mqtt5SubAckException refused) {
            return refused.getMqttMessage().getReasonCodes();
        }
    }

    @Test
    void shareGroupWithoutARuleForIt_getsSuback0x87NotAuthorized_thoughTheFilterIsAllowed() {
        Mqtt5BlockingClient client = mqtt5(unique("thief"));
        assertThat(subscribe(client, "jobs/a")).as("the filter alone is allowed")
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subscribe(client, "$share/thieves/jobs/a")).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void shareGroupARuleAllows_isGranted_andReceivesTheGroupsMessages() throws Exception {
        Mqtt5BlockingClient worker = mqtt5(unique("worker"));
        String topic = "jobs/" + unique("x");
        assertThat(subscribe(worker, "$share/workers/" + topic)).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        var received = listen(worker);
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(SENTINEL).send();
        assertThat(receivedBeforeSentinel(received)).isEmpty();
    }
}
