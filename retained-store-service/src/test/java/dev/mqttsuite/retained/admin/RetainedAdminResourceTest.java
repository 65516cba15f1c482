package dev.mqttsuite.retained.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.RetainedStoreHolder;
import dev.mqttsuite.retained.v1.RetainedMessage;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RetainedAdminResourceTest {

    private static final String PASSWORD = "test-admin-password";

    @Inject
    RetainedStoreHolder store;

    private String prefix;

    @BeforeEach
    void seed() {
        prefix = "adm" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            store.repository().put(RetainedMessage.newBuilder().setTopic(prefix + "/t" + i).setQos(0)
                    .setPayload(ByteString.copyFromUtf8("v" + i)).build()).toCompletableFuture().join();
        }
    }

    @Test
    void withoutCredentials_theApiAnswers401() {
        given().queryParam("filter", prefix + "/#").when().get("/api/v1/retained").then().statusCode(401);
    }

    @Test
    void wrongPassword_isRefused() {
        given().auth().preemptive().basic("admin", "nope").when().get("/api/v1/retained/stats").then()
                .statusCode(401);
    }

    @Test
    void listIsPagedInTopicOrder() {
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("filter", prefix + "/+")
                .queryParam("limit", 3).when().get("/api/v1/retained").then().statusCode(200)
                .body("items", hasSize(3)).body("items[0].topic", equalTo(prefix + "/t0"))
                .body("next", equalTo(prefix + "/t2"));
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("filter", prefix + "/+")
                .queryParam("limit", 3).queryParam("after", prefix + "/t2").when().get("/api/v1/retained").then()
                .statusCode(200).body("items", hasSize(2)).body("next", nullValue());
    }

    @Test
    void getDeleteOne_andDeleteByFilter() {
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("topic", prefix + "/t1").when()
                .get("/api/v1/retained/message").then().statusCode(200).body("payloadSize", equalTo(2));
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("topic", prefix + "/t1").when()
                .delete("/api/v1/retained/message").then().statusCode(200).body("deleted", equalTo(1));
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("topic", prefix + "/t1").when()
                .get("/api/v1/retained/message").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("filter", prefix + "/#").when()
                .delete("/api/v1/retained").then().statusCode(200).body("deleted", equalTo(4));
    }

    @Test
    void invalidFilter_isAProblemResponseNamingTheRule() {
        given().auth().preemptive().basic("admin", PASSWORD).queryParam("filter", "a/#/b").when()
                .get("/api/v1/retained").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("MQTT-4.7.1-2"))
                .body("parameter", equalTo("MULTI_LEVEL_WILDCARD_WHOLE_LAST_LEVEL"));
    }

    @Test
    void openApi_describesTheAdminApi() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/retained"));
    }
}
