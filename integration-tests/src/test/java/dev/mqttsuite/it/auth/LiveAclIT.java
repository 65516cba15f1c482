package dev.mqttsuite.it.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.it.support.AdminClient;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The broker enforcing the auth-service's ACLs, as processes: devices log in with credentials managed through the
 * admin API, may do exactly what their group's role allows, rule changes reach connected devices without a
 * reconnect, a disabled user is disconnected, and with the auth-service down new CONNECTs get 0x88 while existing
 * sessions keep working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveAclIT {

    private static final String ADMIN_PASSWORD = "it-admin-password";

    private static Path authData;
    private static ServiceProcess auth;
    private static ServiceProcess broker;
    private static int mqtt;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        authData = Files.createTempDirectory("it-auth");
        auth = authService().start();
        admin = new AdminClient(auth.httpPort(), "admin", ADMIN_PASSWORD);
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("acl-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_BACKEND", "service").env("BROKER_AUTH_TIMEOUT", "2s")
                .env("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(auth.grpcPort())).start();
        admin.ok("POST", "/api/v1/roles", """
                {"name":"device","priority":10,"rules":[
                  {"effect":"ALLOW","action":"PUBLISH","pattern":"devices/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"devices/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"broadcast/#"}]}""");
        admin.ok("POST", "/api/v1/groups", "{\"name\":\"fleet\",\"roles\":[\"device\"]}");
        admin.ok("POST", "/api/v1/users", "{\"username\":\"truck1\",\"password\":\"truck1-secret\","
                + "\"groups\":[\"fleet\"]}");
        admin.ok("POST", "/api/v1/users", "{\"username\":\"truck2\",\"password\":\"truck2-secret\","
                + "\"groups\":[\"fleet\"]}");
        admin.ok("POST", "/api/v1/users", "{\"username\":\"ops\",\"password\":\"ops-secret-pw\",\"superuser\":true}");
    }

    private static ServiceProcess authService() {
        return new ServiceProcess("auth", "auth-service").env("AUTH_DATA_DIR", authData.toString())
                .env("AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
        if (auth != null) {
            auth.stop();
        }
    }

    private static Mqtt5BlockingClient device(String user, String password) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(user + "-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username(user)
                .password(password.getBytes()).applySimpleAuth().buildBlocking();
        client.connect();
        return client;
    }

    @Test
    @Order(1)
    void deviceMayDoExactlyWhatItsGroupsRoleAllows() {
        Mqtt5BlockingClient truck = device("truck1", "truck1-secret");
        truck.subscribeWith().topicFilter("devices/truck1/#").send();
        truck.publishWith().topic("devices/truck1/gps").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        assertThatThrownBy(() -> truck.subscribeWith().topicFilter("devices/truck2/#").send())
                .isInstanceOf(Mqtt5SubAckException.class);
        assertThatThrownBy(() -> truck.publishWith().topic("devices/truck2/gps").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send()).isInstanceOfSatisfying(Mqtt5PubAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        truck.disconnect();
        assertThatThrownBy(() -> device("truck1", "wrong-password")).isInstanceOfSatisfying(
                Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    @Order(2)
    void ruleChange_reachesAConnectedDevice_withoutReconnecting() throws Exception {
        Mqtt5BlockingClient truck = device("truck2", "truck2-secret");
        truck.subscribeWith().topicFilter("broadcast/#").send();
        Mqtt5BlockingClient ops = device("ops", "ops-secret-pw");
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(truck)) {
            ops.publishWith().topic("broadcast/news").payload("before".getBytes()).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).isPresent();

            // the role loses broadcast/# and gains a deny on devices/%u/locked
            String etag = admin.etag("/api/v1/roles/device");
            admin.ok("PUT", "/api/v1/roles/device", """
                    {"name":"device","priority":10,"rules":[
                      {"effect":"DENY","action":"PUBLISH","pattern":"devices/%u/locked"},
                      {"effect":"ALLOW","action":"PUBLISH","pattern":"devices/%u/#"},
                      {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"devices/%u/#"}]}""", etag);

            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() ->
                    truck.publishWith().topic("devices/truck2/locked").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(new byte[] {1}).send()).isInstanceOf(Mqtt5PubAckException.class));
            ops.publishWith().topic("broadcast/news").payload("after".getBytes()).send();
            assertThat(publishes.receive(1, TimeUnit.SECONDS))
                    .as("the subscription is no longer allowed: it stops receiving").isEmpty();
        }
        truck.disconnect();
        ops.disconnect();
    }

    @Test
    @Order(3)
    void disabledUser_isDisconnectedWithAdministrativeAction() throws Exception {
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient truck = MqttClient.builder().useMqttVersion5().identifier("truck1-revoked")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("truck1")
                .password("truck1-secret".getBytes()).applySimpleAuth()
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause())).buildBlocking();
        truck.connect();
        String etag = admin.etag("/api/v1/users/truck1");
        admin.ok("PUT", "/api/v1/users/truck1", "{\"username\":\"truck1\",\"disabled\":true,\"groups\":[\"fleet\"]}",
                etag);
        Throwable cause = disconnected.get(5, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
    }

    @Test
    @Order(4)
    void authServiceDown_newConnectsGetServerUnavailable_existingSessionsKeepWorking() throws Exception {
        Mqtt5BlockingClient existing = device("truck2", "truck2-secret");
        existing.subscribeWith().topicFilter("devices/truck2/#").send();
        auth.stop();
        assertThatThrownBy(() -> device("truck2", "truck2-secret")).isInstanceOfSatisfying(
                Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));
        try (var publishes = dev.mqttsuite.it.support.Listen.listen(existing)) {
            existing.publishWith().topic("devices/truck2/still").payload(new byte[] {1}).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).as("existing session keeps working").isPresent();
        }
        auth.restart(); // same data directory and port
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> device("truck2", "truck2-secret")
                .disconnect());
        existing.disconnect();
    }
}
