package dev.mqttsuite.it.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.mqttsuite.it.support.AdminClient;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two auth-service replicas on one database (H2 in server mode here, PostgreSQL in production): a broker follows
 * replica B, an admin changes the model through replica A, and the change still reaches the broker live — B follows
 * the audit log and announces what A committed — and B's remembered logins do not outlive it.
 */
class AuthReplicasIT {

    private static ServiceProcess replicaA;
    private static ServiceProcess replicaB;
    private static ServiceProcess broker;
    private static int mqtt;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("it-auth-replicas");
        String url = "jdbc:h2:file:" + data.resolve("auth") + ";AUTO_SERVER=TRUE";
        replicaA = replica("auth-replica-a", data, url).start();
        replicaB = replica("auth-replica-b", data, url).start();
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("replicas-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_AUTH_BACKEND", "service")
                .env("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(replicaB.grpcPort())).start();
    }

    private static ServiceProcess replica(String name, Path data, String url) {
        return new ServiceProcess(name, "auth-service")
                .env("AUTH_DATA_DIR", data.toString())
                .env("AUTH_ADMIN_PASSWORD", "replica-admin-password")
                .env("QUARKUS_DATASOURCE_JDBC_URL", url)
                .env("AUTH_CHANGES_POLL_INTERVAL", "200ms");
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] {broker, replicaB, replicaA}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    @Test
    void aChangeMadeThroughAnotherReplicaReachesTheBrokerLive() throws Exception {
        AdminClient adminA = new AdminClient(replicaA.httpPort(), "admin", "replica-admin-password");
        adminA.ok("POST", "/api/v1/roles", "{\"name\":\"r\",\"priority\":1,\"rules\":["
                + "{\"effect\":\"ALLOW\",\"action\":\"PUBLISH\",\"pattern\":\"r/#\"}]}");
        adminA.ok("POST", "/api/v1/users", "{\"username\":\"dev1\",\"password\":\"dev1-secret\",\"roles\":[\"r\"]}");

        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("replica-dev1")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("dev1")
                .password("dev1-secret".getBytes()).applySimpleAuth()
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause())).buildBlocking();
        device.connect(); // decided by replica B (and remembered by B and by the broker)

        String etag = adminA.etag("/api/v1/users/dev1");
        adminA.ok("PUT", "/api/v1/users/dev1", "{\"username\":\"dev1\",\"disabled\":true,\"roles\":[\"r\"]}", etag);
        Throwable cause = disconnected.get(10, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));

        Mqtt5BlockingClient again = MqttClient.builder().useMqttVersion5().identifier("replica-dev1-again")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("dev1")
                .password("dev1-secret".getBytes()).applySimpleAuth().buildBlocking();
        Assertions.assertThatThrownBy(again::connect).as("no cache answers for a disabled user")
                .isInstanceOf(Mqtt5ConnAckException.class);
    }
}
