package dev.mqttsuite.retained.admin;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin API accepts SSO bearer tokens by role, as the auth-service's does. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(AdminBearerTokenTest.WithIdentityProvider.class)
class AdminBearerTokenTest {

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
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
}
