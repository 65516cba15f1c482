package dev.mqttsuite.auth.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminApiTest {

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON);
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void withoutCredentials_401_withWrongPassword_401() {
        given().when().get("/api/v1/roles").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").when().get("/api/v1/roles").then().statusCode(401);
    }

    @Test
    void roleCrud_withEtags_andAudit() {
        String name = unique("sensors");
        String etag = admin().body("""
                {"name":"%s","priority":10,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"sensors/%%u/#"}]}
                """.formatted(name)).when().post("/api/v1/roles").then().statusCode(201)
                .body("rules[0].pattern", equalTo("sensors/%u/#")).extract().header("ETag");
        admin().when().get("/api/v1/roles/" + name).then().statusCode(200).header("ETag", equalTo(etag));

        String update = """
                {"name":"%s","priority":20,"rules":[{"effect":"DENY","action":"SUBSCRIBE","pattern":"#"}]}
                """.formatted(name);
        admin().body(update).when().put("/api/v1/roles/" + name).then().statusCode(428)
                .contentType("application/problem+json");
        String newEtag = admin().header("If-Match", etag).body(update).when().put("/api/v1/roles/" + name).then()
                .statusCode(200).body("priority", equalTo(20)).extract().header("ETag");
        admin().header("If-Match", etag).body(update).when().put("/api/v1/roles/" + name).then()
                .statusCode(412).body("detail", containsString("changed since you read it"));
        admin().when().get("/api/v1/audit?entity=role&name=" + name).then().statusCode(200)
                .body("action", hasItem("create")).body("action", hasItem("update")).body("actor", hasItem("admin"));
        admin().header("If-Match", newEtag).when().delete("/api/v1/roles/" + name).then().statusCode(204);
        admin().when().get("/api/v1/roles/" + name).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidPattern_isAProblemNamingTheField() {
        admin().body("""
                {"name":"%s","priority":1,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"ok/#"},
                 {"effect":"ALLOW","action":"PUBLISH","pattern":"dev-%%u/#"}]}
                """.formatted(unique("bad"))).when().post("/api/v1/roles").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("rules[1].pattern"))
                .body("detail", containsString("whole level"));
        admin().body("{\"name\":\"x\",\"rules\":[{\"effect\":\"MAYBE\",\"action\":\"PUBLISH\",\"pattern\":\"a\"}]}")
                .when().post("/api/v1/roles").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void userPassword_isNeverReturned_andShortPasswordsAreRefused() {
        String name = unique("device");
        admin().body("{\"username\":\"%s\",\"password\":\"short\"}".formatted(name)).when().post("/api/v1/users")
                .then().statusCode(400).body("field", equalTo("password"));
        admin().body("{\"username\":\"%s\",\"password\":\"long-enough-secret\",\"groups\":[\"g1\"]}".formatted(name))
                .when().post("/api/v1/users").then().statusCode(201).body("password", nullValue())
                .body("hasPassword", equalTo(true)).body(not(containsString("long-enough-secret")));
        admin().body("{\"username\":\"%s\",\"password\":\"another-secret\"}".formatted(name)).when()
                .post("/api/v1/users").then().statusCode(409);
    }

    @Test
    void explain_showsTheDecidingRule() {
        String user = userWithRules("""
                [{"effect":"ALLOW","action":"PUBLISH","pattern":"fleet/%c/#"},
                 {"effect":"DENY","action":"PUBLISH","pattern":"fleet/+/secret"}]""");
        admin().queryParam("username", user).queryParam("clientId", "truck-7").queryParam("topic", "fleet/truck-7/gps")
                .when().get("/api/v1/explain").then().statusCode(200).body("allowed", equalTo(true))
                .body("rule", containsString("ALLOW PUBLISH fleet/%c/#"));
        admin().queryParam("username", user).queryParam("clientId", "truck-7")
                .queryParam("topic", "fleet/truck-7/secret").when().get("/api/v1/explain").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reason", containsString("DENY"));
        admin().queryParam("username", user).queryParam("clientId", "truck-7").queryParam("topic", "fleet/truck-8/gps")
                .when().get("/api/v1/explain").then().statusCode(200).body("allowed", equalTo(false))
                .body("reason", containsString("default deny"));
    }

    @Test
    void explain_sharedSubscription_needsARuleForItsGroup_notOnlyForItsFilter() {
        String user = userWithRules("""
                [{"effect":"ALLOW","action":"SUBSCRIBE","pattern":"jobs/#"},
                 {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"$share/workers/jobs/#"}]""");
        admin().queryParam("username", user).queryParam("clientId", "w-1").queryParam("action", "SUBSCRIBE")
                .queryParam("topic", "$share/workers/jobs/a").when().get("/api/v1/explain").then().statusCode(200)
                .body("allowed", equalTo(true)).body("rule", containsString("$share/workers/jobs/#"));
        admin().queryParam("username", user).queryParam("clientId", "w-1").queryParam("action", "SUBSCRIBE")
                .queryParam("topic", "$share/thieves/jobs/a").when().get("/api/v1/explain").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reason", containsString("thieves"));
    }

    /** A new user in a new group that holds a new role (priority 5) with these rules (a JSON array); its name. */
    private String userWithRules(String rulesJson) {
        String role = unique("role");
        String group = unique("group");
        String user = unique("dev");
        admin().body("{\"name\":\"%s\",\"priority\":5,\"rules\":%s}".formatted(role, rulesJson))
                .when().post("/api/v1/roles").then().statusCode(201);
        admin().body("{\"name\":\"%s\",\"roles\":[\"%s\"]}".formatted(group, role)).when().post("/api/v1/groups")
                .then().statusCode(201);
        admin().body("{\"username\":\"%s\",\"password\":\"device-secret\",\"groups\":[\"%s\"]}".formatted(user, group))
                .when().post("/api/v1/users").then().statusCode(201);
        return user;
    }

    @Test
    void openApi_isServed() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/roles"));
    }
}
