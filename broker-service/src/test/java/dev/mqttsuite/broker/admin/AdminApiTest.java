package dev.mqttsuite.broker.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker admin API (docs/adr/0015-broker-admin-api.md) with real MQTT 5 and 3.1.1 clients connected: listings,
 * details, kick, discard, publish, and who may do what with the bootstrap admin.
 */
@QuarkusTest
class AdminApiTest extends BrokerTest {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-admin-password");
    }

    private static JsonPath client(String clientId) {
        return admin().when().get("/api/v1/clients/{id}", clientId).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitGone(String clientId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                admin().when().get("/api/v1/clients/{id}", clientId).then().statusCode(404));
    }

    /** Completes with the reason code of the DISCONNECT the broker sends the client. */
    private CompletableFuture<Mqtt5DisconnectReasonCode> disconnectReason(String clientId, long sessionExpiry) {
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = new CompletableFuture<>();
        Mqtt5BlockingClient client = mqtt5Builder(clientId).addDisconnectedListener(ctx -> {
            if (ctx.getCause() instanceof Mqtt5DisconnectException e) {
                reason.complete(e.getMqttMessage().getReasonCode());
            } else {
                reason.completeExceptionally(ctx.getCause());
            }
        }).buildBlocking();
        client.connectWith().cleanStart(true).sessionExpiryInterval(sessionExpiry).send();
        onCleanup(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return reason;
    }

    @Test
    void clients_areListedByClientId_pagedAndSearchable_withTheirConnection() {
        String prefix = unique("list");
        for (String suffix : List.of("c", "a", "b")) {
            mqtt5(prefix + "-" + suffix);
        }
        JsonPath first = admin().queryParam("q", prefix).queryParam("size", 2).when().get("/api/v1/clients").then()
                .statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.clientId")).containsExactly(prefix + "-a", prefix + "-b");
        assertThat(first.getInt("total")).isEqualTo(3);
        assertThat(first.getInt("size")).isEqualTo(2);
        assertThat(first.getInt("page")).isZero();
        Map<String, Object> a = first.getMap("items[0]");
        assertThat(a).containsEntry("protocolVersion", 5).containsEntry("connected", true)
                .containsEntry("node", "broker").containsEntry("keepAlive", 60).containsEntry("sessionExpiry", 0)
                .containsEntry("queued", 0).containsEntry("inFlight", 0).containsEntry("dropped", 0)
                .containsKeys("username", "address", "connectedSince");
        assertThat((String) a.get("address")).contains("127.0.0.1");
        assertThat((String) a.get("connectedSince")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        JsonPath second = admin().queryParam("q", prefix.toUpperCase()).queryParam("size", 2).queryParam("page", 1)
                .when().get("/api/v1/clients").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.clientId")).as("search is case-insensitive").containsExactly(prefix + "-c");
        assertThat(second.getInt("total")).isEqualTo(3);

        admin().queryParam("q", prefix).queryParam("state", "offline").when().get("/api/v1/clients").then()
                .statusCode(200).body("total", equalTo(0));
        admin().queryParam("q", prefix).queryParam("state", "connected").when().get("/api/v1/clients").then()
                .statusCode(200).body("total", equalTo(3));
    }

    @Test
    void clients_pageByCursor_afterOrBeforeAClientId_filteredOrNot() {
        String prefix = unique("cursor");
        for (String suffix : List.of("c", "a", "b")) {
            mqtt5(prefix + "-" + suffix);
        }
        JsonPath after = admin().queryParam("q", prefix).queryParam("size", 1).queryParam("after", prefix + "-a")
                .when().get("/api/v1/clients").then().statusCode(200).extract().jsonPath();
        assertThat(after.getList("items.clientId")).containsExactly(prefix + "-b");
        assertThat(after.getInt("total")).as("the total of the whole filtered list").isEqualTo(3);
        assertThat(admin().queryParam("q", prefix).queryParam("size", 2).queryParam("before", prefix + "-c")
                .when().get("/api/v1/clients").then().statusCode(200).extract().jsonPath()
                .getList("items.clientId")).as("the last entries before the cursor, in order")
                .containsExactly(prefix + "-a", prefix + "-b");
        // unfiltered: the walk starts at the cursor in the sorted view
        assertThat(admin().queryParam("size", 1).queryParam("after", prefix + "-b").when().get("/api/v1/clients")
                .then().statusCode(200).extract().jsonPath().getList("items.clientId"))
                .containsExactly(prefix + "-c");
        assertThat(admin().queryParam("size", 2).queryParam("before", prefix + "-c").when().get("/api/v1/clients")
                .then().statusCode(200).extract().jsonPath().getList("items.clientId"))
                .containsExactly(prefix + "-a", prefix + "-b");
        admin().queryParam("after", "a").queryParam("before", "b").when().get("/api/v1/clients").then()
                .statusCode(400).body("parameter", equalTo("after"));
    }

    @Test
    void listings_refuseBadPagingAndState_withAProblem() {
        admin().queryParam("size", 501).when().get("/api/v1/clients").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("size"));
        admin().queryParam("size", 0).when().get("/api/v1/subscriptions").then().statusCode(400);
        admin().queryParam("page", -1).when().get("/api/v1/clients").then().statusCode(400);
        admin().queryParam("state", "sleeping").when().get("/api/v1/clients").then().statusCode(400)
                .body("parameter", equalTo("state"));
    }

    @Test
    void clientDetail_showsSubscriptionsAndWill_butNeverTheWillPayload() {
        String id = unique("detail");
        String willTopic = unique("will");
        Mqtt5BlockingClient c = mqtt5(id, b -> b.willPublish().topic(willTopic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("very-secret-will".getBytes(StandardCharsets.UTF_8)).delayInterval(30).applyWillPublish());
        c.subscribeWith().topicFilter("detail/+/x").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
        String group = unique("g");
        c.subscribeWith().topicFilter("$share/" + group + "/detail/#").qos(MqttQos.EXACTLY_ONCE).send();

        String body = admin().when().get("/api/v1/clients/{id}", id).then().statusCode(200)
                .body("clientId", equalTo(id)).body("connected", equalTo(true))
                .body("will.topic", equalTo(willTopic)).body("will.qos", equalTo(1))
                .body("will.retain", equalTo(false)).body("will.delaySeconds", equalTo(30))
                .body("will.payloadBytes", equalTo(16))
                .extract().asString();
        assertThat(body).as("the will's payload is never shown").doesNotContain("very-secret-will")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("very-secret-will".getBytes()));
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("subscriptions.filter")).containsExactly("detail/#", "detail/+/x");
        assertThat(json.getMap("subscriptions[1]")).containsEntry("qos", 1).containsEntry("noLocal", true)
                .containsEntry("retainAsPublished", false).containsEntry("retainHandling", 0)
                .containsEntry("shareGroup", null);
        assertThat(json.getMap("subscriptions[0]")).containsEntry("qos", 2).containsEntry("shareGroup", group);

        admin().queryParam("q", id).when().get("/api/v1/subscriptions").then().statusCode(200)
                .body("total", equalTo(2)).body("items.filter", hasItem("detail/+/x"))
                .body("items.clientId", hasItem(id));
        List<Map<String, Object>> groups = admin().when().get("/api/v1/shared-groups").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.group == '" + group + "' }");
        assertThat(groups).containsExactly(Map.of("group", group, "filter", "detail/#", "members", List.of(id)));

        admin().when().get("/api/v1/clients/{id}", unique("nobody")).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void kick_givesAnMqtt5ClientDisconnect0x98_andTheClientLeavesTheList() throws Exception {
        String id = unique("kick5");
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = disconnectReason(id, 0);
        admin().when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(204);
        assertThat(reason.get(20, TimeUnit.SECONDS)).as("DISCONNECT 0x98 Administrative action")
                .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        awaitGone(id);
        admin().when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void kick_keepsAPersistentSession_offline() throws Exception {
        String id = unique("kick-persistent");
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = disconnectReason(id, 300);
        admin().when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(204);
        assertThat(reason.get(20, TimeUnit.SECONDS)).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client(id).getBoolean("connected")).isFalse());
        JsonPath offline = client(id);
        assertThat(offline.getLong("sessionExpiry")).isEqualTo(300);
        assertThat(offline.getString("address")).isNull();
        admin().queryParam("q", id).queryParam("state", "offline").when().get("/api/v1/clients").then()
                .body("items.clientId", equalTo(List.of(id)));
    }

    @Test
    void kick_closesAnMqtt311Client() {
        String id = unique("kick311");
        Mqtt3BlockingClient c = mqtt3(id);
        assertThat(client(id).getInt("protocolVersion")).isEqualTo(4);
        admin().when().delete("/api/v1/clients/{id}/connection", id).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.getState() != MqttClientState.CONNECTED);
        awaitGone(id);
    }

    @Test
    void discard_endsAnOfflineSession_soThatItIsNotPresentAtReconnect() {
        String id = unique("discard");
        Mqtt5BlockingClient c = mqtt5Builder(id).buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        c.subscribeWith().topicFilter(unique("t")).send();
        c.disconnect();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client(id).getBoolean("connected")).isFalse());

        admin().when().delete("/api/v1/sessions/{id}", id).then().statusCode(204);
        admin().when().get("/api/v1/clients/{id}", id).then().statusCode(404);
        admin().when().delete("/api/v1/sessions/{id}", id).then().statusCode(404);
        Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        assertThat(ack.isSessionPresent()).as("the discarded session is gone [MQTT-3.2.2-2]").isFalse();
        c.disconnect();
    }

    @Test
    void discard_ofAConnectedSession_is409_unlessForced_thenKicksAndEndsIt() throws Exception {
        String id = unique("discard-live");
        CompletableFuture<Mqtt5DisconnectReasonCode> reason = disconnectReason(id, 300);
        admin().when().delete("/api/v1/sessions/{id}", id).then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(client(id).getBoolean("connected")).isTrue();

        admin().queryParam("force", true).when().delete("/api/v1/sessions/{id}", id).then().statusCode(204);
        assertThat(reason.get(20, TimeUnit.SECONDS)).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        awaitGone(id);
        Mqtt5BlockingClient again = mqtt5Builder(id).buildBlocking();
        assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent())
                .isFalse();
        again.disconnect();
    }

    @Test
    void publish_goesThroughTheBrokerToSubscribers_utf8AndBase64() throws Exception {
        String topic = unique("pub");
        Mqtt5BlockingClient sub = mqtt5(unique("sub"));
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(sub)) {
            admin().contentType(ContentType.JSON).body(Map.of("topic", topic, "payload", "hello", "qos", 1))
                    .when().post("/api/v1/publish").then().statusCode(202).body("topic", equalTo(topic))
                    .body("qos", equalTo(1)).body("deliveredTo", equalTo(1));
            Optional<Mqtt5Publish> got = publishes.receive(20, TimeUnit.SECONDS);
            assertThat(got).isPresent();
            assertThat(new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(got.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);

            admin().contentType(ContentType.JSON).body(Map.of("topic", topic, "payload",
                    java.util.Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xFF}), "encoding",
                    "base64")).when().post("/api/v1/publish").then().statusCode(202).body("qos", equalTo(0));
            assertThat(publishes.receive(20, TimeUnit.SECONDS)).get()
                    .extracting(Mqtt5Publish::getPayloadAsBytes).isEqualTo(new byte[] {0, 1, 2, (byte) 0xFF});
        }
    }

    @Test
    void publish_refusesInvalidInput_withAProblem() {
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("topic", "a/+/b", "payload", "x"),
                Map.<String, Object>of("topic", "$SYS/fake", "payload", "x"),
                Map.<String, Object>of("payload", "x"),
                Map.<String, Object>of("topic", "ok", "payload", "x", "qos", 3),
                Map.<String, Object>of("topic", "ok", "payload", "x", "encoding", "latin1"),
                Map.<String, Object>of("topic", "ok", "payload", "not base64!", "encoding", "base64"))) {
            admin().contentType(ContentType.JSON).body(bad).when().post("/api/v1/publish").then()
                    .statusCode(400).contentType("application/problem+json").body("detail", notNullValue());
        }
    }

    @Test
    void overview_countsThisBroker() {
        mqtt5(unique("overview"));
        admin().when().get("/api/v1/overview").then().statusCode(200).body("node", equalTo("broker"))
                .body("clusterMembers", equalTo(List.of("broker"))).body("retainedBackend", equalTo("memory"))
                .body("version", notNullValue()).body("uptimeSeconds", notNullValue())
                .body("connections", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("sessions", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("messagesIn", notNullValue()).body("messagesOut", notNullValue())
                .body("messagesDropped", notNullValue()).body("offlineSessions", notNullValue())
                .body("subscriptions", notNullValue());
    }

    @Test
    void withoutCredentials_401_withWrongPassword_401() {
        given().when().get("/api/v1/clients").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong-password!").when().get("/api/v1/overview").then()
                .statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("topic", "t", "payload", "x")).when()
                .post("/api/v1/publish").then().statusCode(401);
        given().when().delete("/api/v1/sessions/x").then().statusCode(401);
    }

    @Test
    void theApiIsInTheOpenApiDocument() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/clients/{clientId}"))
                .body(containsString("/api/v1/publish"));
    }

    @Test
    void unknownWillIsNull_forAClientWithoutWill() {
        String id = unique("nowill");
        mqtt5(id);
        admin().when().get("/api/v1/clients/{id}", id).then().statusCode(200).body("will", nullValue())
                .body("subscriptions", equalTo(List.of()));
    }
}
