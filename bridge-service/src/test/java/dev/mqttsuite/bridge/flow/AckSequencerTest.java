package dev.mqttsuite.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckSequencerTest {

    @Test
    void acknowledgementsGoOutInArrivalOrder() {
        // [MQTT-4.6.0-2]
        List<Integer> acked = new ArrayList<>();
        AckSequencer s = new AckSequencer();
        AckSequencer.Receipt r1 = s.arrived(() -> acked.add(1));
        AckSequencer.Receipt r2 = s.arrived(() -> acked.add(2));
        AckSequencer.Receipt r3 = s.arrived(() -> acked.add(3));
        s.done(r2);
        s.done(r3);
        assertThat(acked).isEmpty();
        assertThat(s.unacknowledged()).isEqualTo(3);
        s.done(r1);
        assertThat(acked).containsExactly(1, 2, 3);
        assertThat(s.unacknowledged()).isZero();
    }

    @Test
    void receiptsOfALostConnectionAreNeverAcknowledged() {
        List<Integer> acked = new ArrayList<>();
        AckSequencer s = new AckSequencer();
        AckSequencer.Receipt old = s.arrived(() -> acked.add(1));
        s.connectionLost();
        AckSequencer.Receipt fresh = s.arrived(() -> acked.add(2));
        s.done(old);
        s.done(fresh);
        assertThat(acked).containsExactly(2);
    }
}
