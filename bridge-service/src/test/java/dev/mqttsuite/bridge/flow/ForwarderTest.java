package dev.mqttsuite.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwarderTest {

    /** A target broker under the test's control: records publishes, hands out packet ids. */
    static final class FakeTarget implements Target {
        record Sent(String topic, String payload, int qos, boolean dup, int packetId) {
        }

        boolean connected = true;
        int nextId = 1;
        final List<Sent> sent = new ArrayList<>();

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public Future<Integer> publish(String topic, byte[] payload, int qos, boolean dup, boolean retain) {
            if (!connected) {
                return Future.failedFuture("Session is not connected");
            }
            int id = qos == 0 ? -1 : nextId++;
            sent.add(new Sent(topic, new String(payload, StandardCharsets.UTF_8), qos, dup, id));
            return Future.succeededFuture(id);
        }

        @Override
        public String address() {
            return "fake:1883";
        }
    }

    static final class Counts implements FlowMetrics {
        int forwarded;
        int dropped;
        int resent;

        @Override
        public void forwarded() {
            forwarded++;
        }

        @Override
        public void dropped(String reason) {
            dropped++;
        }

        @Override
        public void resent() {
            resent++;
        }
    }

    private final FakeTarget target = new FakeTarget();
    private final Counts counts = new Counts();
    private final AckSequencer source = new AckSequencer();
    private final List<String> acked = new ArrayList<>();
    private final List<String> echoesExpected = new ArrayList<>();

    private Forwarder forwarder(int buffer, int inflight) {
        return new Forwarder("test", target, buffer, inflight, counts, f -> echoesExpected.add(f.topic()),
                source::done);
    }

    private Forward qos1(String payload) {
        return new Forward("t/" + payload, payload.getBytes(StandardCharsets.UTF_8), 1, false,
                source.arrived(() -> acked.add(payload)));
    }

    @Test
    void aQos1MessageIsAcknowledgedToItsSourceOnlyAfterTheTargetAcknowledgedIt() {
        Forwarder f = forwarder(10, 10);
        f.offer(qos1("a"));
        assertThat(target.sent).hasSize(1);
        assertThat(acked).isEmpty();
        f.published(target.sent.get(0).packetId());
        assertThat(acked).containsExactly("a");
        assertThat(counts.forwarded).isEqualTo(1);
        assertThat(f.buffered()).isZero();
    }

    @Test
    void acknowledgementsToTheSourceKeepArrivalOrderWhenTheTargetAnswersOutOfOrder() {
        // [MQTT-4.6.0-2]
        Forwarder f = forwarder(10, 10);
        f.offer(qos1("a"));
        f.offer(qos1("b"));
        f.offer(qos1("c"));
        f.published(3);
        f.published(2);
        assertThat(acked).isEmpty();
        f.published(1);
        assertThat(acked).containsExactly("a", "b", "c");
    }

    @Test
    void unacknowledgedMessagesAreSentAgainWithDupAfterTheTargetReconnects() {
        Forwarder f = forwarder(10, 10);
        f.offer(qos1("a"));
        f.offer(qos1("b"));
        f.published(1);
        target.connected = false;
        f.targetDisconnected();
        f.offer(qos1("c"));
        assertThat(f.buffered()).isEqualTo(2);
        assertThat(f.bufferedForMetrics()).as("what the bridge_buffered gauge reads").isEqualTo(2);
        assertThat(target.sent).hasSize(2);

        target.connected = true;
        f.targetConnected();
        assertThat(target.sent).extracting(FakeTarget.Sent::payload).containsExactly("a", "b", "b", "c");
        assertThat(target.sent.get(2).dup()).as("a resend carries DUP [MQTT-3.3.1-1]").isTrue();
        assertThat(target.sent.get(3).dup()).isFalse();
        f.published(target.sent.get(2).packetId());
        f.published(target.sent.get(3).packetId());
        assertThat(acked).containsExactly("a", "b", "c");
        assertThat(f.bufferedForMetrics()).isZero();
        assertThat(counts.resent).isEqualTo(1);
        assertThat(echoesExpected).as("an echo is expected once per message, not per send").hasSize(3);
    }

    @Test
    void inflightMessagesAreLimitedToMaxInflight() {
        Forwarder f = forwarder(100, 2);
        for (String p : List.of("a", "b", "c", "d")) {
            f.offer(qos1(p));
        }
        assertThat(target.sent).hasSize(2);
        f.published(1);
        assertThat(target.sent).hasSize(3);
        assertThat(f.buffered()).isEqualTo(3);
    }

    @Test
    void aFullBufferDropsQos0MessagesAndCountsThemButKeepsQos1() {
        Forwarder f = forwarder(2, 10);
        target.connected = false;
        f.offer(new Forward("t", "q0-1".getBytes(), 0, false, null));
        f.offer(new Forward("t", "q0-2".getBytes(), 0, false, null));
        f.offer(new Forward("t", "q0-3".getBytes(), 0, false, null));
        f.offer(qos1("q1"));
        assertThat(counts.dropped).isEqualTo(1);
        assertThat(f.buffered()).isEqualTo(3);
        target.connected = true;
        f.targetConnected();
        assertThat(target.sent).extracting(FakeTarget.Sent::payload).containsExactly("q0-1", "q0-2", "q1");
    }

    @Test
    void anAcknowledgementTimeoutSendsTheMessageAgain() {
        Forwarder f = forwarder(10, 10);
        f.offer(qos1("a"));
        f.expired(1);
        assertThat(target.sent).hasSize(2);
        assertThat(target.sent.get(1).dup()).isTrue();
        f.published(2);
        assertThat(acked).containsExactly("a");
    }

    @Test
    void nothingReceivedOnALostSourceConnectionIsAcknowledgedOnTheNextOne() {
        Forwarder f = forwarder(10, 10);
        f.offer(qos1("a"));
        source.connectionLost();
        f.published(1);
        assertThat(acked).as("the source sends it again on the new connection").isEmpty();
        assertThat(counts.forwarded).isEqualTo(1);
    }
}
