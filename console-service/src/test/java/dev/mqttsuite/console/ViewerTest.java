package dev.mqttsuite.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.console.security.CsrfTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Viewers (role mqtt-viewer) are read-only: the action buttons are absent AND the server refuses their changes. */
@QuarkusTest
@QuarkusTestResource(FakeAdminApis.class)
@TestSecurity(user = "viewer", roles = "mqtt-viewer")
@TestProfile(ViewerTest.AnyMechanism.class)
class ViewerTest {

    /** @TestSecurity's identity comes from no HTTP mechanism: the pages must not insist on the form's. */
    public static class AnyMechanism implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.pages.auth-mechanism", "");
        }
    }

    @Inject
    CsrfTokens csrf;

    @BeforeEach
    void setUp() {
        FakeAdminApis.anonymousReads = true;
        FakeAdminApis.CONNECTED.clear();
        FakeAdminApis.CONNECTED.put("sensor-9", "carol");
    }

    @AfterEach
    void tearDown() {
        FakeAdminApis.anonymousReads = false;
    }

    @Test
    void givenViewer_whenClientPage_thenShownWithoutKickOrDiscard() {
        String page = given().get("/clients/sensor-9").then().statusCode(200).extract().asString();
        assertThat(page).contains("<dd id=\"client-user\">carol</dd>").contains("viewer, read-only")
                .doesNotContain("id=\"kick\"").doesNotContain("id=\"discard\"");
    }

    @Test
    void givenViewer_whenRetainedPage_thenNoPayloadLinkNoDelete() {
        String page = given().get("/retained").then().statusCode(200).extract().asString();
        assertThat(page).contains("sensors/t1").doesNotContain("/retained/message?").doesNotContain("Delete</button>");
        given().get("/retained/message?topic=sensors/t1").then().statusCode(403);
    }

    @Test
    void givenViewerWithValidCsrfToken_whenKickOrPublishOrCreate_thenServerRefuses403() {
        String token = csrf.tokenFor("viewer");
        given().header("X-CSRF-Token", token).post("/clients/sensor-9/kick").then().statusCode(403);
        given().header("X-CSRF-Token", token).post("/clients/sensor-9/discard").then().statusCode(403);
        given().header("X-CSRF-Token", token).contentType("application/x-www-form-urlencoded")
                .formParam("topic", "t").post("/subscriptions/publish").then().statusCode(403);
        given().header("X-CSRF-Token", token).contentType("application/x-www-form-urlencoded")
                .formParam("name", "r").formParam("rules", "allow publish #").post("/access/roles").then()
                .statusCode(403);
        given().header("X-CSRF-Token", token).contentType("application/x-www-form-urlencoded")
                .formParam("topic", "sensors/t1").post("/retained/delete").then().statusCode(403);
        assertThat(FakeAdminApis.CONNECTED).containsKey("sensor-9");
    }
}
