package dev.mqttsuite.auth.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.auth.v1.AuditAck;
import dev.mqttsuite.auth.v1.AuditRecord;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RecordAudit: a broker's admin action lands in the audit log behind GET /api/v1/audit, marked as a broker's. */
@QuarkusTest
class RecordAuditTest {

    private ManagedChannel channel;
    private AuthServiceGrpc.AuthServiceBlockingStub auth;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        auth = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static AuditRecord.Builder kick(String client) {
        return AuditRecord.newBuilder().setActor("alice").setAction("kick").setEntity("client").setName(client)
                .setDetail("MQTT 5 from 127.0.0.1:4242").setNode("broker-2");
    }

    @Test
    void brokerAction_isInTheAuditLog_withTheActorMarkedAsABrokers_andTheNode() {
        String client = "c-" + UUID.randomUUID();
        AuditAck ack = auth.recordAudit(kick(client).build());
        assertThat(ack.getId()).isPositive();

        List<Map<String, Object>> entries = given().auth().preemptive().basic("admin", "test-admin-password")
                .queryParam("name", client).when().get("/api/v1/audit").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertThat(entries).hasSize(1);
        Map<String, Object> entry = entries.get(0);
        assertThat(entry).containsEntry("actor", "broker:alice").containsEntry("action", "kick")
                .containsEntry("entity", "client").containsEntry("name", client);
        assertThat((String) entry.get("detail")).isEqualTo("node=broker-2; MQTT 5 from 127.0.0.1:4242");
        assertThat(JsonPath.from(given().auth().preemptive().basic("admin", "test-admin-password")
                .queryParam("actor", "broker:alice").when().get("/api/v1/audit").asString()).getList("name"))
                .contains(client);
    }

    @Test
    void aBroker_cannotWriteEntriesThatLookLikeModelChanges_orWithoutActor() {
        for (AuditRecord bad : List.of(kick("x").setAction("delete").setEntity("user").build(),
                kick("x").setEntity("session").build(), kick("x").setActor("").build(),
                kick("").build())) {
            assertThatThrownBy(() -> auth.recordAudit(bad)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }
}
