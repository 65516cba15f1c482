package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSnapshotTest {

    @TempDir
    Path dir;

    private static Delivery delivery(String topic, String payload, int qos, int packetId, boolean sent,
            boolean released) {
        PublishProperties props = new PublishProperties(1, "text/plain", "reply/" + topic, new byte[] {1, 2, 3},
                List.of(new UserProperty("k", "v"), new UserProperty("k", "v2 ✓")));
        Message m = new Message(TopicName.of(topic), payload.getBytes(), qos, true, props, "publisher-1",
                1_900_000_000_000L);
        Delivery d = new Delivery(m, qos, false, new int[] {7, 9}, null);
        d.packetId = packetId;
        d.sent = sent;
        d.released = released;
        return d;
    }

    @Test
    void aSessionSurvivesTheRoundTripWithSubscriptionsMessagesAndPacketState() throws Exception {
        Map<SubscriptionTopic, SubscriptionOptions> subs = new LinkedHashMap<>();
        subs.put(SubscriptionTopic.parse("a/+/c"), new SubscriptionOptions(1, true, true, 2, 42));
        subs.put(SubscriptionTopic.parse("$share/g/b/#"), new SubscriptionOptions(2, false, false, 0, 0));
        SessionState state = new SessionState("client-ü", 3600, 1_700_000_000_000L, subs,
                List.of(delivery("a/1/c", "inflight", 2, 5, true, true)),
                List.of(delivery("a/2/c", "queued-1", 1, 0, false, false),
                        delivery("a/3/c", "queued-2", 1, 0, false, false)),
                Set.of(11, 12), 6);
        Path file = dir.resolve("sessions.snapshot");
        SessionSnapshot.write(file, List.of(state));

        SessionState back = SessionSnapshot.read(file).get(0);
        assertThat(back.clientId()).isEqualTo("client-ü");
        assertThat(back.expiryIntervalSeconds()).isEqualTo(3600);
        assertThat(back.detachedAtMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(back.subscriptions()).isEqualTo(subs);
        assertThat(back.inboundQos2()).containsExactlyInAnyOrder(11, 12);
        assertThat(back.nextPacketId()).isEqualTo(6);
        Delivery inflight = back.inflight().get(0);
        assertThat(inflight.packetId).isEqualTo(5);
        assertThat(inflight.sent).as("a resend after the restart carries DUP [MQTT-3.3.1-1]").isTrue();
        assertThat(inflight.released).as("QoS 2 resumes with PUBREL [MQTT-4.4.0-1]").isTrue();
        assertThat(inflight.subscriptionIds()).containsExactly(7, 9);
        Message m = inflight.message();
        assertThat(m.topic().value()).isEqualTo("a/1/c");
        assertThat(new String(m.payload())).isEqualTo("inflight");
        assertThat(m.properties().contentType()).isEqualTo("text/plain");
        assertThat(m.properties().correlationData()).containsExactly(1, 2, 3);
        assertThat(m.properties().userProperties()).containsExactly(new UserProperty("k", "v"),
                new UserProperty("k", "v2 ✓"));
        assertThat(m.publisherClientId()).isEqualTo("publisher-1");
        assertThat(m.expiresAtMillis()).isEqualTo(1_900_000_000_000L);
        assertThat(back.queue()).extracting(d -> new String(d.message().payload()))
                .containsExactly("queued-1", "queued-2");
    }

    @Test
    void aRestoredSessionIsOfflineWithItsQueueInOrder() {
        SessionState state = new SessionState("c", 60, 0, Map.of(), List.of(),
                List.of(delivery("t", "1", 1, 0, false, false), delivery("t", "2", 1, 0, false, false)), Set.of(), 1);
        Session s = Session.restore(state, new SessionLimits(100, 1 << 20, false, 50, 10, 100), null,
                dev.mqttsuite.broker.session.SessionJournal.IN_MEMORY);
        assertThat(s.isConnected()).isFalse();
        assertThat(s.queuedMessages()).isEqualTo(2);
        assertThat(s.state(0).queue()).extracting(d -> new String(d.message().payload())).containsExactly("1", "2");
    }

    @Test
    void aDamagedSnapshotIsRefusedNotHalfRestored() throws Exception {
        Path file = dir.resolve("sessions.snapshot");
        SessionSnapshot.write(file, List.of(new SessionState("c", 60, 0, Map.of(), List.of(),
                List.of(delivery("t", "payload", 1, 0, false, false)), Set.of(), 1)));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        assertThatThrownBy(() -> SessionSnapshot.read(file)).hasMessageContaining("checksum");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SessionSnapshot.read(file)).hasMessageContaining("truncated");
    }
}
