package dev.mqttsuite.it.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.it.support.KeycloakProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Corporate SSO end to end with a real Keycloak: a device gets a token by password grant and connects with it, may
 * do exactly what its Keycloak group's role allows; an administrator with a Keycloak token (realm role mqtt-admin)
 * changes a rule through the admin API and the connected device's rights change without reconnecting; a short-lived
 * token ends the session with 0xA0; re-authentication with AUTH 0x19 and a fresh token keeps it alive. Tokens carry the
 * audience mqtt-broker (Keycloak audience mapper); a token for another client's audience is refused, and the token
 * user {@code oidc:truck-a} (its {@code %u}) is not the local device account {@code truck-a}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakSsoIT {

    private static KeycloakProcess keycloak;
    private static ServiceProcess auth;
    private static ServiceProcess broker;
    private static int mqtt;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(KeycloakProcess.available(), "Keycloak distribution not unpacked (mvn verify does it)");
        keycloak = new KeycloakProcess().start(Path.of("src/test/resources/keycloak/iot-realm.json"));
        auth = new ServiceProcess("sso-auth", "auth-service")
                .env("AUTH_DATA_DIR", Files.createTempDirectory("it-sso").toString())
                .env("AUTH_ADMIN_PASSWORD", "unused-bootstrap-password")
                .env("AUTH_OIDC_ENABLED", "true")
                .env("QUARKUS_OIDC_MQTT_AUTH_SERVER_URL", keycloak.realmUrl())
                .env("QUARKUS_OIDC_MQTT_TOKEN_AUDIENCE", "mqtt-broker")
                .env("QUARKUS_OIDC_TENANT_ENABLED", "true")
                .env("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl())
                .env("QUARKUS_OIDC_TOKEN_AUDIENCE", "mqtt-broker").start();
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("sso-broker", "broker-service").env("BROKER_MQTT_PORT", Integer.toString(mqtt))
                .env("BROKER_AUTH_BACKEND", "service")
                .env("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(auth.grpcPort())).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
        if (auth != null) {
            auth.stop();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static HttpResponse<String> adminCall(String method, String path, String json, String ifMatch)
            throws Exception {
        String token = keycloak.token("mqtt-device", "alice", "alice-password");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + auth.httpPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Mqtt5BlockingClient deviceWithTokenAsPassword(String clientId) {
        String token = keycloak.token("mqtt-device", "truck-a", "truck-a-password");
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck-a")
                .password(token.getBytes()).applySimpleAuth().buildBlocking();
        client.connect();
        return client;
    }

    @Test
    @Order(1)
    void adminWithKeycloakRole_setsUpTheFleetRole_throughTheApi() throws Exception {
        assertThat(adminCall("POST", "/api/v1/roles", """
                {"name":"fleet-role","priority":10,"rules":[
                  {"effect":"ALLOW","action":"PUBLISH","pattern":"fleet/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"fleet/#"}]}""", null).statusCode()).isEqualTo(201);
        assertThat(adminCall("POST", "/api/v1/groups", "{\"name\":\"fleet\",\"roles\":[\"fleet-role\"]}", null)
                .statusCode()).isEqualTo(201);
        HttpResponse<String> audit = adminCall("GET", "/api/v1/audit?entity=group", null, null);
        assertThat(audit.body()).contains("\"actor\":\"alice\"");
    }

    @Test
    @Order(2)
    void deviceWithKeycloakToken_mayDoWhatItsGroupAllows_in311And5() {
        Mqtt5BlockingClient truck = deviceWithTokenAsPassword("truck-a-5");
        truck.publishWith().topic("fleet/oidc:truck-a/gps").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertThatThrownBy(() -> truck.publishWith().topic("fleet/oidc:truck-b/gps").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send()).isInstanceOfSatisfying(Mqtt5PubAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        truck.disconnect();
        Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("truck-a-3")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck-a")
                .password(keycloak.token("mqtt-device", "truck-a", "truck-a-password").getBytes()).applySimpleAuth()
                .buildBlocking();
        v3.connect();
        v3.disconnect();
    }

    @Test
    @Order(2)
    void tokenForAnotherAudience_isRefusedWith0x87() {
        String otherApp = keycloak.token("other-app", "truck-a", "truck-a-password");
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("truck-a-other-app")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck-a")
                .password(otherApp.getBytes()).applySimpleAuth().buildBlocking();
        assertThatThrownBy(device::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    @Order(2)
    void tokenUserAndLocalUserOfTheSameName_doNotShareASession() throws Exception {
        assertThat(adminCall("POST", "/api/v1/users",
                "{\"username\":\"truck-a\",\"password\":\"truck-a-local-password\",\"groups\":[\"fleet\"]}", null)
                .statusCode()).isEqualTo(201);
        Mqtt5BlockingClient token = MqttClient.builder().useMqttVersion5().identifier("truck-a-shared")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck-a")
                .password(keycloak.token("mqtt-device", "truck-a", "truck-a-password").getBytes()).applySimpleAuth()
                .buildBlocking();
        token.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        token.disconnect();
        Mqtt5BlockingClient local = MqttClient.builder().useMqttVersion5().identifier("truck-a-shared")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck-a")
                .password("truck-a-local-password".getBytes()).applySimpleAuth().buildBlocking();
        assertThatThrownBy(() -> local.connectWith().cleanStart(false).send()).as(
                "the local truck-a is not the token user oidc:truck-a that owns the session")
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage()
                        .getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    }

    @Test
    @Order(3)
    void ruleChangedByAdmin_changesTheConnectedDevicesRights_withoutReconnecting() throws Exception {
        Mqtt5BlockingClient truck = deviceWithTokenAsPassword("truck-a-live");
        truck.publishWith().topic("fleet/oidc:truck-a/secret").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1})
                .send();
        String etag = adminCall("GET", "/api/v1/roles/fleet-role", null, null).headers().firstValue("ETag")
                .orElseThrow();
        assertThat(adminCall("PUT", "/api/v1/roles/fleet-role", """
                {"name":"fleet-role","priority":10,"rules":[
                  {"effect":"DENY","action":"PUBLISH","pattern":"fleet/%u/secret"},
                  {"effect":"ALLOW","action":"PUBLISH","pattern":"fleet/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"fleet/#"}]}""", etag).statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() ->
                truck.publishWith().topic("fleet/oidc:truck-a/secret").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[] {1}).send()).isInstanceOf(Mqtt5PubAckException.class));
        truck.disconnect();
    }

    @Test
    @Order(4)
    void shortLivedToken_endsTheSessionWithMaximumConnectTime() throws Exception {
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient truck = MqttClient.builder().useMqttVersion5().identifier("truck-a-short")
                .serverHost("127.0.0.1").serverPort(mqtt)
                .enhancedAuth(new JwtEnhancedAuth(() -> keycloak.token("mqtt-short", "truck-a", "truck-a-password")))
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause())).buildBlocking();
        truck.connect();
        Throwable cause = disconnected.get(20, TimeUnit.SECONDS); // the token lives 8 s
        assertThat(cause).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.MAXIMUM_CONNECT_TIME));
    }

    @Test
    @Order(5)
    void reauthenticationWithAFreshToken_keepsTheSessionAlivePastTheFirstTokensExpiry() throws Exception {
        Mqtt5BlockingClient truck = MqttClient.builder().useMqttVersion5().identifier("truck-a-reauth")
                .serverHost("127.0.0.1").serverPort(mqtt)
                .enhancedAuth(new JwtEnhancedAuth(() -> keycloak.token("mqtt-short", "truck-a", "truck-a-password")))
                .buildBlocking();
        truck.connect();
        long connectedAt = System.nanoTime();
        truck.subscribeWith().topicFilter("fleet/oidc:truck-a/#").send();
        // re-authenticate every 4 s (AUTH 0x19 with a fresh 8 s token) for 14 s: well past the first token's expiry
        while (System.nanoTime() - connectedAt < TimeUnit.SECONDS.toNanos(14)) {
            Awaitility.await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
            truck.toAsync().reauth().get(10, TimeUnit.SECONDS);
        }
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(truck)) {
            truck.publishWith().topic("fleet/oidc:truck-a/alive").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1})
                    .send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).as("session still alive after 14 s").isPresent();
        }
        truck.disconnect();
    }
}
