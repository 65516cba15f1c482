package dev.mqttsuite.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void fullBucket_givesItsBurstThenRefusesUntilRefilledAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, clock);
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).as("burst of 3 spent").isFalse();
        clock.advance(100, TimeUnit.MILLISECONDS); // 10/s: one token back
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void refill_neverExceedsTheCapacity() {
        TokenBucket bucket = new TokenBucket(10, 2, clock);
        clock.advance(1, TimeUnit.HOURS);
        assertThat(bucket.tryTake(2)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void amountAboveTheCapacity_passesOnlyFromAFullBucketAndLeavesADebt() {
        TokenBucket bucket = new TokenBucket(1000, 1000, clock);
        assertThat(bucket.tryTake(5000)).as("a packet larger than the burst is not refused forever").isTrue();
        assertThat(bucket.nanosUntilClear()).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void take_goesIntoDebtAndSaysHowLongToWait() {
        TokenBucket bucket = new TokenBucket(2, 1, clock);
        bucket.take(1);
        assertThat(bucket.nanosUntilClear()).isZero();
        bucket.take(2);
        assertThat(bucket.nanosUntilClear()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        clock.advance(1, TimeUnit.SECONDS);
        assertThat(bucket.nanosUntilClear()).isZero();
    }

    @Test
    void nonPositiveRateOrCapacityBelowOne_isRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0.5, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
