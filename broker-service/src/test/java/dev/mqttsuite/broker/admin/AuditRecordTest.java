package dev.mqttsuite.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.auth.v1.AuditRecord;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With {@code broker.auth.backend=service} the admin API's actions reach the auth-service's audit log through
 * RecordAudit: the admin's user name, the action, its entity, the name, this broker's node, and never the payload.
 */
@QuarkusTest
@WithTestResource(FakeAuditService.class)
@TestProfile(AuditRecordTest.WithAuthService.class)
class AuditRecordTest extends BrokerTest {

    /** Its own profile: the fake auth-service's broker is not shared with the other tests. */
    public static class WithAuthService implements QuarkusTestProfile {
    }

    @Test
    void publishAndKick_areRecordedInTheAuthServicesAuditLog() throws Exception {
        String topic = unique("audited");
        AdminApiTest.admin().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "payload", "top-secret-payload", "qos", 1)).when()
                .post("/api/v1/publish").then().statusCode(202);
        AuditRecord publish = FakeAuditService.RECORDS.poll(20, TimeUnit.SECONDS);
        assertThat(publish).isNotNull();
        assertThat(publish.getActor()).isEqualTo("admin");
        assertThat(publish.getAction()).isEqualTo("publish");
        assertThat(publish.getEntity()).isEqualTo("topic");
        assertThat(publish.getName()).isEqualTo(topic);
        assertThat(publish.getNode()).isEqualTo("broker");
        assertThat(publish.getDetail()).contains("qos=1", "bytes=18").doesNotContain("top-secret-payload");

        String id = unique("kicked");
        var client = mqtt5(id);
        AdminApiTest.admin().when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !client.getState().isConnected());
        AuditRecord kick = FakeAuditService.RECORDS.poll(20, TimeUnit.SECONDS);
        assertThat(kick).isNotNull();
        assertThat(kick.getAction()).isEqualTo("kick");
        assertThat(kick.getEntity()).isEqualTo("client");
        assertThat(kick.getName()).isEqualTo(id);
    }
}
