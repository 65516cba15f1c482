package dev.mqttsuite.it.containers;

import static dev.mqttsuite.it.support.Listen.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.it.support.AdminClient;
import dev.mqttsuite.it.support.Http;
import dev.mqttsuite.it.support.KeycloakProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import dev.mqttsuite.it.support.SuiteContainers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/**
 * The suite as it is deployed: the four services' container images (built by {@code scripts/build-images.sh}) run by
 * Testcontainers on the host network, with a real Keycloak (as a process) and Mosquitto (as a container). An
 * SSO-authenticated device publishes and subscribes; an admin with a Keycloak role changes an ACL with live effect;
 * retained messages survive a restart of the store container; the bridge forwards to Mosquitto; QoS 1 messages queued
 * for a persistent session survive a restart of the broker container.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerSuiteIT {

    private static KeycloakProcess keycloak;
    private static GenericContainer<?> auth;
    private static GenericContainer<?> store;
    private static GenericContainer<?> broker;
    private static GenericContainer<?> mosquitto;
    private static GenericContainer<?> bridge;
    private static final int AUTH_HTTP = ServiceProcess.freePort();
    private static final int STORE_HTTP = ServiceProcess.freePort();
    private static final int AUTH_GRPC = ServiceProcess.freePort();
    private static final int STORE_GRPC = ServiceProcess.freePort();
    private static final int BROKER_HTTP = ServiceProcess.freePort();
    private static final int BRIDGE_HTTP = ServiceProcess.freePort();
    private static final int MQTT = ServiceProcess.freePort();
    private static final int MOSQUITTO = ServiceProcess.freePort();

    @BeforeAll
    static void start() throws Exception {
        SuiteContainers.assumeDockerAndImages();
        Assumptions.assumeTrue(KeycloakProcess.available(), "Keycloak distribution not unpacked (mvn verify does it)");
        keycloak = new KeycloakProcess().start(Path.of("src/test/resources/keycloak/iot-realm.json"));
        auth = SuiteContainers.service("auth-service", "auth", AUTH_HTTP)
                .withEnv("AUTH_GRPC_PORT", Integer.toString(AUTH_GRPC))
                .withEnv("AUTH_ADMIN_PASSWORD", "container-admin-password")
                .withEnv("AUTH_OIDC_ENABLED", "true")
                .withEnv("QUARKUS_OIDC_MQTT_AUTH_SERVER_URL", keycloak.realmUrl())
                .withEnv("QUARKUS_OIDC_MQTT_TOKEN_AUDIENCE", "mqtt-broker")
                .withEnv("QUARKUS_OIDC_TENANT_ENABLED", "true")
                .withEnv("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl())
                .withEnv("QUARKUS_OIDC_TOKEN_AUDIENCE", "mqtt-broker");
        store = SuiteContainers.service("retained-store-service", "store", STORE_HTTP)
                .withEnv("RETAINED_GRPC_PORT", Integer.toString(STORE_GRPC))
                .withEnv("RETAINED_ADMIN_PASSWORD", "container-admin-password");
        auth.start();
        store.start();
        broker = SuiteContainers.service("broker-service", "broker", BROKER_HTTP)
                .withEnv("BROKER_MQTT_HOST", "127.0.0.1")
                .withEnv("BROKER_MQTT_PORT", Integer.toString(MQTT))
                .withEnv("BROKER_WEBSOCKET_HOST", "127.0.0.1")
                .withEnv("BROKER_WEBSOCKET_PORT", Integer.toString(ServiceProcess.freePort()))
                .withEnv("BROKER_AUTH_BACKEND", "service")
                .withEnv("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(AUTH_GRPC))
                .withEnv("BROKER_RETAINED_BACKEND", "service")
                .withEnv("QUARKUS_GRPC_CLIENTS_RETAINED_PORT", Integer.toString(STORE_GRPC))
                .withEnv("BROKER_SESSION_PERSISTENCE", "file");
        broker.start();
        mosquitto = SuiteContainers.mosquitto(MOSQUITTO);
        mosquitto.start();
        awaitReady(AUTH_HTTP);
        awaitReady(STORE_HTTP);
        awaitReady(BROKER_HTTP);
    }

    private static void awaitReady(int port) {
        await("service on " + port + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> Http.get(port, "/q/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        for (GenericContainer<?> c : new GenericContainer<?>[] {bridge, broker, store, auth, mosquitto}) {
            if (c != null) {
                c.stop();
            }
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static HttpResponse<String> asKeycloakAdmin(String method, String path, String json) throws Exception {
        return asKeycloakAdmin(method, path, json, null);
    }

    private static HttpResponse<String> asKeycloakAdmin(String method, String path, String json, String ifMatch)
            throws Exception {
        String token = keycloak.token("mqtt-device", "alice", "alice-password");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + AUTH_HTTP + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Mqtt5BlockingClient truck(String clientId, boolean persistent) {
        String token = keycloak.token("mqtt-device", "truck-a", "truck-a-password");
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(MQTT).simpleAuth().username("truck-a")
                .password(token.getBytes()).applySimpleAuth().buildBlocking();
        client.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send();
        return client;
    }

    @Test
    @Order(1)
    void aDeviceWithAKeycloakTokenPublishesAndSubscribes() throws Exception {
        assertThat(asKeycloakAdmin("POST", "/api/v1/roles", """
                {"name":"fleet-role","priority":10,"rules":[
                  {"effect":"ALLOW","action":"PUBLISH","pattern":"fleet/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"fleet/#"}]}""").statusCode()).isEqualTo(201);
        assertThat(asKeycloakAdmin("POST", "/api/v1/groups", "{\"name\":\"fleet\",\"roles\":[\"fleet-role\"]}")
                .statusCode()).isEqualTo(201);
        Mqtt5BlockingClient device = truck("container-truck", false);
        Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(device);
        device.subscribeWith().topicFilter("fleet/oidc:truck-a/#").qos(MqttQos.AT_LEAST_ONCE).send();
        device.publishWith().topic("fleet/oidc:truck-a/gps").qos(MqttQos.AT_LEAST_ONCE).payload("52.1,4.3".getBytes())
                .send();
        Optional<Mqtt5Publish> got = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        assertThat(got.get().getPayloadAsBytes()).asString().isEqualTo("52.1,4.3");
        assertThatThrownBy(() -> device.publishWith().topic("fleet/truck-b/gps").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1}).send()).isInstanceOfSatisfying(Mqtt5PubAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        device.disconnect();
    }

    @Test
    @Order(2)
    void anAdminsAclChangeTakesEffectOnAConnectedDevice() throws Exception {
        Mqtt5BlockingClient device = truck("container-truck-live", false);
        device.publishWith().topic("fleet/oidc:truck-a/diag").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        HttpResponse<String> role = asKeycloakAdmin("GET", "/api/v1/roles/fleet-role", null);
        String etag = role.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> put = asKeycloakAdmin("PUT", "/api/v1/roles/fleet-role", """
                {"name":"fleet-role","priority":10,"rules":[
                  {"effect":"DENY","action":"PUBLISH","pattern":"fleet/%u/diag"},
                  {"effect":"ALLOW","action":"PUBLISH","pattern":"fleet/%u/#"},
                  {"effect":"ALLOW","action":"SUBSCRIBE","pattern":"fleet/#"}]}""", etag);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        await("the connected device loses the right").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> device.publishWith().topic("fleet/oidc:truck-a/diag").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[] {2}).send()).isInstanceOf(Mqtt5PubAckException.class));
        device.publishWith().topic("fleet/oidc:truck-a/gps").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {3}).send();
        device.disconnect();
    }

    @Test
    @Order(3)
    void retainedMessagesSurviveARestartOfTheStoreContainer() throws Exception {
        Mqtt5BlockingClient device = truck("container-truck-retain", false);
        device.publishWith().topic("fleet/oidc:truck-a/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("parked".getBytes()).send();
        device.disconnect();

        SuiteContainers.restart(store);
        awaitReady(STORE_HTTP);
        await("the broker reaches the store again").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Mqtt5BlockingClient reader = truck("container-truck-reader", false);
            try {
                Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(reader);
                reader.subscribeWith().topicFilter("fleet/oidc:truck-a/state").send();
                Optional<Mqtt5Publish> got = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(got).isPresent();
                assertThat(got.get().isRetain()).isTrue();
                assertThat(got.get().getPayloadAsBytes()).asString().isEqualTo("parked");
            } finally {
                reader.disconnect();
            }
        });
    }

    @Test
    @Order(4)
    void theBridgeForwardsToMosquitto() throws Exception {
        AdminClient admin = new AdminClient(AUTH_HTTP, "admin", "container-admin-password");
        admin.ok("POST", "/api/v1/roles", "{\"name\":\"bridge-role\",\"priority\":1,\"rules\":["
                + "{\"effect\":\"ALLOW\",\"action\":\"SUBSCRIBE\",\"pattern\":\"fleet/#\"}]}");
        admin.ok("POST", "/api/v1/users", "{\"username\":\"bridge\",\"password\":\"bridge-secret\","
                + "\"roles\":[\"bridge-role\"]}");
        String bridges = String.join("\n",
                "bridge.local.port=" + MQTT,
                "bridge.local.username=bridge",
                "bridge.local.password=bridge-secret",
                "bridge.bridges.hq.remote.host=127.0.0.1",
                "bridge.bridges.hq.remote.port=" + MOSQUITTO,
                "bridge.bridges.hq.topics[0].filter=fleet/#",
                "bridge.bridges.hq.topics[0].remote-prefix=site-7/", "");
        bridge = SuiteContainers.service("bridge-service", "bridge", BRIDGE_HTTP)
                .withCopyToContainer(Transferable.of(bridges), "/tmp/bridges.properties")
                .withEnv("QUARKUS_CONFIG_LOCATIONS", "/tmp/bridges.properties");
        bridge.start();
        awaitReady(BRIDGE_HTTP);

        Mqtt5BlockingClient hq = MqttClient.builder().useMqttVersion5().identifier("hq")
                .serverHost("127.0.0.1").serverPort(MOSQUITTO).buildBlocking();
        hq.connect();
        Mqtt5BlockingClient.Mqtt5Publishes atHq = listen(hq);
        hq.subscribeWith().topicFilter("site-7/fleet/+/gps").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient device = truck("container-truck-bridge", false);
        device.publishWith().topic("fleet/oidc:truck-a/gps").qos(MqttQos.AT_LEAST_ONCE).payload("53,5".getBytes()).send();
        Optional<Mqtt5Publish> got = atHq.receive(10, TimeUnit.SECONDS);
        assertThat(got).as("forwarded with the remote prefix").isPresent();
        assertThat(got.get().getTopic().toString()).isEqualTo("site-7/fleet/oidc:truck-a/gps");
        device.disconnect();
        hq.disconnect();
    }

    @Test
    @Order(5)
    void queuedQos1MessagesOfAPersistentSessionSurviveARestartOfTheBrokerContainer() throws Exception {
        Mqtt5BlockingClient subscriber = truck("container-truck-inbox", true);
        subscriber.subscribeWith().topicFilter("fleet/+/alerts").qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();
        Mqtt5BlockingClient publisher = truck("container-truck-alerts", false);
        for (int i = 0; i < 10; i++) {
            publisher.publishWith().topic("fleet/oidc:truck-a/alerts").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("alert-" + i).getBytes()).send();
        }
        publisher.disconnect();

        SuiteContainers.restart(broker);
        awaitReady(BROKER_HTTP);

        String token = keycloak.token("mqtt-device", "truck-a", "truck-a-password");
        Mqtt5BlockingClient back = MqttClient.builder().useMqttVersion5().identifier("container-truck-inbox")
                .serverHost("127.0.0.1").serverPort(MQTT).simpleAuth().username("truck-a")
                .password(token.getBytes()).applySimpleAuth().buildBlocking();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                .as("the session came back with the broker").isTrue();
        for (int i = 0; i < 10; i++) {
            Optional<Mqtt5Publish> got = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(got).as("queued message %d", i).isPresent();
            assertThat(got.get().getPayloadAsBytes()).asString().isEqualTo("alert-" + i);
        }
        back.disconnect();
    }
}
