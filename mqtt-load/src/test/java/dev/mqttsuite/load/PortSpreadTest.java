package dev.mqttsuite.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortSpreadTest {

    @Test
    void clientsTakeTheListedPortsInTurn() {
        PortSpread spread = new PortSpread(List.of(1884, 1885, 1886), 1883);

        assertThat(List.of(spread.portOf(0), spread.portOf(1), spread.portOf(2), spread.portOf(3), spread.portOf(7)))
                .containsExactly(1884, 1885, 1886, 1884, 1885);
    }

    @Test
    void withoutAListEveryClientTakesTheFallbackPort() {
        PortSpread spread = new PortSpread(List.of(), 1883);

        assertThat(spread.portOf(0)).isEqualTo(1883);
        assertThat(spread.portOf(41)).isEqualTo(1883);
    }

    @Test
    void aPortOutsideTheTcpRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> new PortSpread(List.of(1884, 70000), 1883))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }
}
