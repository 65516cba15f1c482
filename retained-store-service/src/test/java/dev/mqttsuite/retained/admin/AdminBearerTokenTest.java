package dev.mqttsuite.retained.admin;

import static io.restassured.RestAssured.given;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.RetainedStoreHolder;
import dev.mqttsuite.retained.v1.RetainedMessage;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The admin API accepts SSO bearer tokens by role, as the auth-service's does; {@code mqtt-viewer} reads metadata but
 * never payloads.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(AdminBearerTokenTest.WithIdentityProvider.class)
class AdminBearerTokenTest {

    @Inject
    RetainedStoreHolder store;

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.token.audience", "https://server.example.com",
                    "quarkus.oidc.roles.role-claim-path", "groups");
        }
    }

    @Test
    void viewerReads_adminDeletes_othersAreRefused() {
        String viewer = OidcWiremockTestResource.getAccessToken("vera", Set.of("mqtt-viewer"));
        String admin = OidcWiremockTestResource.getAccessToken("adam", Set.of("mqtt-admin"));
        String nobody = OidcWiremockTestResource.getAccessToken("nora", Set.of("something-else"));
        given().auth().oauth2(viewer).when().get("/api/v1/retained/stats").then().statusCode(200);
        given().auth().oauth2(nobody).when().get("/api/v1/retained/stats").then().statusCode(403);
        given().auth().oauth2(viewer).queryParam("filter", "nothing/#").when().delete("/api/v1/retained").then()
                .statusCode(403);
        given().auth().oauth2(admin).queryParam("filter", "nothing/#").when().delete("/api/v1/retained").then()
                .statusCode(200);
    }

    @Test
    void viewerSeesTopicsSizesQosAndExpiry_butNeverPayloads_adminSeesPayloads() {
        String topic = "viewer-test/" + java.util.UUID.randomUUID();
        store.repository().put(RetainedMessage.newBuilder().setTopic(topic).setQos(1)
                .setExpiresAtMillis(4_102_444_800_000L).setPayload(ByteString.copyFromUtf8("device secret")).build())
                .toCompletableFuture().join();
        String viewer = OidcWiremockTestResource.getAccessToken("vera", Set.of("mqtt-viewer"));
        String admin = OidcWiremockTestResource.getAccessToken("adam", Set.of("mqtt-admin"));
        String payload = Base64.getEncoder().encodeToString("device secret".getBytes(StandardCharsets.UTF_8));

        given().auth().oauth2(viewer).queryParam("filter", topic).when().get("/api/v1/retained").then()
                .statusCode(200).body("items[0].topic", equalTo(topic)).body("items[0].payloadSize", equalTo(13))
                .body("items[0].qos", equalTo(1)).body("items[0].expiresAtMillis", equalTo(4_102_444_800_000L))
                .body("items[0].payloadBase64", nullValue()).body(not(containsString(payload)));
        given().auth().oauth2(viewer).queryParam("topic", topic).when().get("/api/v1/retained/message").then()
                .statusCode(200).body("payloadSize", equalTo(13)).body("payloadBase64", nullValue());

        given().auth().oauth2(admin).queryParam("filter", topic).when().get("/api/v1/retained").then()
                .statusCode(200).body("items[0].payloadBase64", equalTo(payload));
        given().auth().oauth2(admin).queryParam("topic", topic).when().get("/api/v1/retained/message").then()
                .statusCode(200).body("payloadBase64", equalTo(payload));
    }
}
