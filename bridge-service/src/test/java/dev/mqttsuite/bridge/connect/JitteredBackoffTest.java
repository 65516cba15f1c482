package dev.mqttsuite.bridge.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.mqtt.session.ReconnectDelayProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JitteredBackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumAndResetAfterASuccess() {
        ReconnectDelayProvider p = new JitteredBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), 0.3, () -> 0)
                .createProvider();
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(400));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(800));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(1000));
        for (int i = 0; i < 100; i++) {
            assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(1000));
        }
        p.reset();
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void jitterShortensEachDelayByUpToTheConfiguredFraction() {
        ReconnectDelayProvider p = new JitteredBackoff(Duration.ofMillis(1000), Duration.ofMillis(1000), 0.3,
                () -> 0.999).createProvider();
        assertThat(p.nextDelay().toMillis()).isBetween(700L, 701L);
    }
}
