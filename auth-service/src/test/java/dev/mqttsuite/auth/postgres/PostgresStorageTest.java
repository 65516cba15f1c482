package dev.mqttsuite.auth.postgres;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The same model on PostgreSQL (Flyway migrations, Hibernate, ETags, logins): the build-time database kind switched to
 * postgresql as a production build does ({@code -Dquarkus.datasource.db-kind=postgresql}). Needs
 * {@code RETAINED_TEST_PG_URL} (the test PostgreSQL that .ci/run starts); skipped locally without it.
 */
@QuarkusTest
@TestProfile(PostgresStorageTest.OnPostgres.class)
@EnabledIf(value = "postgresConfigured", disabledReason = "RETAINED_TEST_PG_URL not set: skipping PostgreSQL")
class PostgresStorageTest {

    /** Decided before Quarkus starts; in CI (MQTT_SUITE_REQUIRE_POSTGRES) the test runs and fails without it. */
    static boolean postgresConfigured() {
        return (URL != null && !URL.isBlank()) || "true".equals(System.getenv("MQTT_SUITE_REQUIRE_POSTGRES"));
    }

    private static final String URL = System.getenv("RETAINED_TEST_PG_URL");

    public static class OnPostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = URL == null ? "jdbc:postgresql://127.0.0.1:1/none" : URL;
            return Map.of("quarkus.datasource.db-kind", "postgresql", "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", "mqtt", "quarkus.datasource.password", "mqtt",
                    "quarkus.flyway.clean-at-start", "true", "quarkus.flyway.clean-disabled", "false");
        }
    }

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("MQTT_SUITE_REQUIRE_POSTGRES"))) {
            assertThat(URL).as("RETAINED_TEST_PG_URL must be set in CI").isNotBlank();
        }
        Assumptions.assumeTrue(URL != null && !URL.isBlank(), "RETAINED_TEST_PG_URL not set: skipping PostgreSQL");
    }

    @Test
    void modelLivesInPostgres_andLoginsWork() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .body("{\"name\":\"pg-%s\",\"priority\":2,\"rules\":[{\"effect\":\"ALLOW\",\"action\":\"PUBLISH\",\"pattern\":\"pg/#\"}]}"
                        .formatted(suffix)).when().post("/api/v1/roles").then().statusCode(201);
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .body("{\"username\":\"pg-user-%s\",\"password\":\"pg-password\",\"roles\":[\"pg-%s\"]}"
                        .formatted(suffix, suffix)).when().post("/api/v1/users").then().statusCode(201);
        String etag = given().auth().preemptive().basic("admin", "test-admin-password").when()
                .get("/api/v1/roles/pg-" + suffix).then().statusCode(200).extract().header("ETag");
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", "\"999\"").body("{\"name\":\"pg-%s\",\"priority\":3}".formatted(suffix)).when()
                .put("/api/v1/roles/pg-" + suffix).then().statusCode(412);
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", etag).body("{\"name\":\"pg-%s\",\"priority\":3,\"rules\":[{\"effect\":\"ALLOW\",\"action\":\"PUBLISH\",\"pattern\":\"pg/#\"}]}"
                        .formatted(suffix)).when().put("/api/v1/roles/pg-" + suffix).then().statusCode(200);

        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext()
                .build();
        try {
            AuthenticateReply reply = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setClientId("pg").setUsername("pg-user-" + suffix)
                            .setPassword(ByteString.copyFromUtf8("pg-password")).setRemoteAddress("127.0.0.1:1")
                            .setProtocolVersion(5).build());
            assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
            assertThat(reply.getRules(0).getPriority()).isEqualTo(3);
        } finally {
            channel.shutdownNow();
        }
        given().auth().preemptive().basic("admin", "test-admin-password").when()
                .get("/api/v1/audit?entity=role&name=pg-" + suffix).then().statusCode(200);
    }
}
