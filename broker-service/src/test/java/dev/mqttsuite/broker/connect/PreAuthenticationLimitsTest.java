package dev.mqttsuite.broker.connect;

import static dev.mqttsuite.broker.support.RawMqttClient.concat;
import static dev.mqttsuite.broker.support.RawMqttClient.packet;
import static dev.mqttsuite.broker.support.RawMqttClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.RecordingAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an unauthenticated peer can hold: an absolute CONNECT deadline that trickling bytes do not extend, connections
 * per address, logins waiting for the backend, packets and bytes pipelined before the CONNACK.
 */
@QuarkusTest
@TestProfile(PreAuthenticationLimitsTest.Limits.class)
class PreAuthenticationLimitsTest extends BrokerTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.auth.allow-anonymous", "false", "broker.mqtt.connect-timeout", "3s",
                    "broker.mqtt.max-connections-per-address", "6", "broker.auth.max-pending", "2",
                    "broker.mqtt.max-packets-before-connack", "10");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RecordingAuthenticator.class);
        }
    }

    @Inject
    RecordingAuthenticator backend;

    private final List<RawMqttClient> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        sockets.forEach(RawMqttClient::closeQuietly);
        backend.releaseHanging();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scrape().value("mqtt_connections_pending_authentication") == 0
                        && scrape().value("mqtt_connections_open") == 0);
    }

    private RawMqttClient open() throws IOException {
        RawMqttClient client = new RawMqttClient("127.0.0.1", port());
        sockets.add(client);
        return client;
    }

    /** MQTT 5 CONNECT with a user name and no password. */
    private static byte[] connectAs(String clientId, String user) {
        byte[] body = concat(utf8("MQTT"), new byte[] {5, (byte) 0x82, 0, 60}, new byte[] {0}, utf8(clientId),
                utf8(user));
        return packet(0x10, body);
    }

    @Test
    void aConnectTrickledByteByByteIsClosedAtTheAbsoluteDeadline() throws Exception {
        RawMqttClient slow = open();
        byte[] connect = connectAs(unique("slow"), "bob");
        long start = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < connect.length - 1 && !closed; i++) { // one byte per 500 ms: the idle timer never fires
            slow.send(new byte[] {connect[i]});
            closed = slow.closedByServerWithin(Duration.ofMillis(500));
        }
        assertThat(closed).as("closed before the CONNECT was complete").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(scrape().value("mqtt_connections_refused_total", "reason=\"connect_deadline\"")).isPositive();
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreClosedAtAccept() throws Exception {
        double before = refused("max_connections_per_address");
        for (int i = 0; i < 6; i++) {
            open();
        }
        RawMqttClient seventh = open();
        // counted as refused by the address limit (not closed later by the CONNECT deadline)
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("max_connections_per_address") > before);
        assertThat(seventh.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        assertThat(refused("max_connections_per_address")).as("exactly one over the limit").isEqualTo(before + 1);
    }

    private double refused(String reason) {
        return scrape().value("mqtt_connections_refused_total", "reason=\"" + reason + "\"");
    }

    @Test
    void loginsBeyondThePendingCapGetServerBusyAtOnce() throws Exception {
        open().send(connectAs(unique("h1"), "hang"));
        open().send(connectAs(unique("h2"), "hang"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scrape().value("mqtt_connections_pending_authentication") == 2);
        RawMqttClient third = open();
        third.send(connectAs(unique("busy"), "bob"));
        RawMqttClient.Packet connack = third.read();
        assertThat(connack.type()).isEqualTo(RawMqttClient.CONNACK);
        assertThat(connack.body()[1] & 0xFF).as("0x89 Server busy").isEqualTo(0x89);
    }

    @Test
    void morePacketsBehindAPendingConnectThanAllowedCloseTheConnection() throws Exception {
        RawMqttClient client = open();
        client.send(connectAs(unique("pipelined"), "hang"));
        byte[] pingreq = {(byte) 0xC0, 0};
        for (int i = 0; i < 11; i++) {
            client.send(pingreq);
        }
        assertThat(client.closedByServerWithin(Duration.ofSeconds(2))).isTrue();
        assertThat(scrape().value("mqtt_connections_refused_total", "reason=\"too_much_before_connack\""))
                .isPositive();
    }
}
