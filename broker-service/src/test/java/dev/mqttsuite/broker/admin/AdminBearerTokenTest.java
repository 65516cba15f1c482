package dev.mqttsuite.broker.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SSO bearer tokens by role: mqtt-viewer reads, only mqtt-admin kicks, discards and publishes; other roles get 403.
 * Without an auth-service ({@code broker.auth.backend=none}) the admin's actions go to the log category {@code audit}
 * with the token's user as the actor.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(AdminBearerTokenTest.WithIdentityProvider.class)
class AdminBearerTokenTest extends BrokerTest {

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.token.audience", "https://server.example.com",
                    "quarkus.oidc.roles.role-claim-path", "groups");
        }
    }

    private final List<String> audit = new CopyOnWriteArrayList<>();
    private final Handler auditHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listenToAudit() {
        Logger.getLogger("audit").addHandler(auditHandler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("audit").removeHandler(auditHandler);
    }

    @Test
    void viewerReads_butCannotKickDiscardOrPublish_adminCan_otherRolesCannotRead() {
        String viewer = OidcWiremockTestResource.getAccessToken("vera", Set.of(Roles.VIEWER));
        String admin = OidcWiremockTestResource.getAccessToken("adam", Set.of(Roles.ADMIN));
        String nobody = OidcWiremockTestResource.getAccessToken("nora", Set.of("something-else"));
        String id = unique("token");
        Mqtt5BlockingClient client = mqtt5(id);

        given().auth().oauth2(viewer).when().get("/api/v1/clients/{id}", id).then().statusCode(200);
        given().auth().oauth2(viewer).when().get("/api/v1/overview").then().statusCode(200);
        given().auth().oauth2(nobody).when().get("/api/v1/clients").then().statusCode(403);

        given().auth().oauth2(viewer).when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(viewer).queryParam("force", true).when().delete("/api/v1/sessions/{id}", id).then()
                .statusCode(403);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of("topic", "t", "payload", "x"))
                .when().post("/api/v1/publish").then().statusCode(403);
        assertThat(client.getState().isConnected()).as("the viewer's kick did nothing").isTrue();
        assertThat(audit).as("refused actions are not audited as done").isEmpty();

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("topic", unique("t"), "payload", "x"))
                .when().post("/api/v1/publish").then().statusCode(202).body("deliveredTo", equalTo(0));
        given().auth().oauth2(admin).when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !client.getState().isConnected());
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("actor=adam", "action=publish",
                "entity=topic"));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("actor=adam", "action=kick",
                "entity=client", "name=" + id));
    }
}
