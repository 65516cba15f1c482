package dev.mqttsuite.broker.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mqttsuite.broker.cluster.transport.ForwardWindow.Admission;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The per-peer window: bounded, QoS 0 dropped beyond it, QoS 1/2 waiting in order, batches by count and bytes. */
class ForwardWindowTest {

    private static ClusterMessage message(String name, int payloadBytes) {
        return ClusterMessage.newBuilder().setTopic("t/" + name).setPayload(ByteString.copyFrom(new byte[payloadBytes]))
                .build();
    }

    private static ClusterMessage message(String name) {
        return message(name, 10);
    }

    private static List<String> topics(ForwardWindow.Batch batch) {
        return batch.messages().stream().map(ClusterMessage::getTopic).toList();
    }

    @Test
    void givenFullWindow_thenQos0IsDroppedAndQos1Waits() {
        ForwardWindow window = new ForwardWindow(3, 10, 1 << 20);
        for (int i = 0; i < 3; i++) {
            assertThat(window.offer(message("m" + i), null)).isEqualTo(Admission.ADMITTED);
        }
        assertThat(window.offer(message("qos0"), null)).as("QoS 0 beyond the window").isEqualTo(Admission.DROPPED);
        CompletableFuture<Void> qos1 = new CompletableFuture<>();
        assertThat(window.offer(message("qos1"), qos1)).as("QoS 1 beyond the window").isEqualTo(Admission.WAITING);
        assertThat(window.admitted()).as("never above the window").isEqualTo(3);
        assertThat(window.waiting()).isEqualTo(1);
    }

    @Test
    void givenWaitingQos1_thenLaterQos0DoesNotOvertakeIt() {
        ForwardWindow window = new ForwardWindow(1, 10, 1 << 20);
        window.offer(message("first"), new CompletableFuture<>());
        window.offer(message("waits"), new CompletableFuture<>());
        window.nextBatch(0);
        window.acknowledge(1); // room for one: the waiting QoS 1 message takes it
        assertThat(window.offer(message("late-qos0"), null)).isEqualTo(Admission.DROPPED);
        assertThat(topics(window.nextBatch(0))).containsExactly("t/waits");
    }

    @Test
    void givenAcknowledgement_thenFramesLeaveTheWindowAndWaitingMessagesMoveInInOrder() {
        ForwardWindow window = new ForwardWindow(2, 10, 1 << 20);
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.add(stage);
            window.offer(message("m" + i), stage);
        }
        ForwardWindow.Batch first = window.nextBatch(0);
        assertThat(topics(first)).containsExactly("t/m0", "t/m1");
        assertThat(window.nextBatch(0)).as("nothing more admitted until acknowledged").isNull();

        List<ForwardWindow.Batch> acked = window.acknowledge(first.sequence());
        assertThat(acked).containsExactly(first);
        assertThat(acked.get(0).accepted()).containsExactly(stages.get(0), stages.get(1));
        assertThat(topics(window.nextBatch(0))).containsExactly("t/m2", "t/m3");
        assertThat(window.waiting()).isEqualTo(1);
    }

    @Test
    void givenCumulativeAcknowledgement_thenEveryEarlierFrameIsAcknowledged() {
        ForwardWindow window = new ForwardWindow(10, 1, 1 << 20);
        for (int i = 0; i < 3; i++) {
            window.offer(message("m" + i), null);
            window.nextBatch(0);
        }
        assertThat(window.inFlight()).isEqualTo(3);
        assertThat(window.acknowledge(2)).hasSize(2);
        assertThat(window.acknowledge(2)).as("already acknowledged").isEmpty();
        assertThat(window.inFlight()).isEqualTo(1);
    }

    @Test
    void frameHoldsAtMostBatchSizeMessagesAndBatchBytes_butOneLargeMessageGoesAlone() {
        ForwardWindow window = new ForwardWindow(100, 3, 1000);
        for (int i = 0; i < 5; i++) {
            window.offer(message("small" + i, 100), null);
        }
        window.offer(message("large", 5000), null);
        window.offer(message("after", 600), null);
        window.offer(message("after2", 600), null);
        assertThat(window.nextBatch(0).messages()).as("batch size").hasSize(3);
        assertThat(topics(window.nextBatch(0))).containsExactly("t/small3", "t/small4");
        assertThat(topics(window.nextBatch(0))).as("bytes: the large one alone").containsExactly("t/large");
        assertThat(topics(window.nextBatch(0))).containsExactly("t/after");
        assertThat(topics(window.nextBatch(0))).containsExactly("t/after2");
        assertThat(window.nextBatch(0)).isNull();
    }

    @Test
    void unacknowledgedFramesAreKeptWithTheirSequenceForTheNextStream() {
        ForwardWindow window = new ForwardWindow(10, 2, 1 << 20);
        for (int i = 0; i < 4; i++) {
            window.offer(message("m" + i), null);
        }
        ForwardWindow.Batch one = window.nextBatch(0);
        ForwardWindow.Batch two = window.nextBatch(0);
        window.acknowledge(one.sequence());
        assertThat(window.unacknowledged()).containsExactly(two);
        assertThat(two.sequence()).isEqualTo(one.sequence() + 1);
    }

    @Test
    void givenPeerGone_thenEveryWaitingPublisherIsReleased() {
        ForwardWindow window = new ForwardWindow(1, 1, 1 << 20);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        window.offer(message("sent"), sent);
        window.nextBatch(0);
        window.offer(message("waiting"), waiting);
        assertThat(window.release()).containsExactlyInAnyOrder(sent, waiting);
        assertThat(window.admitted()).isZero();
        assertThat(window.offer(message("again"), null)).isEqualTo(Admission.ADMITTED);
    }
}
