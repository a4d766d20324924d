package io.tasker.orchestration.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void growsExponentiallyFromTheBaseUpToTheCap() {
        Backoff highest = new Backoff(() -> 0.999999);
        assertThat(highest.delay(1, 100, 10_000, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(highest.delay(2, 100, 10_000, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(highest.delay(4, 100, 10_000, null)).isEqualTo(Duration.ofMillis(800));
        assertThat(highest.delay(20, 100, 10_000, null)).isEqualTo(Duration.ofMillis(10_000));
        assertThat(highest.delay(500, 100, 10_000, null)).as("no overflow").isEqualTo(Duration.ofMillis(10_000));
    }

    @Test
    void jitterKeepsAtLeastHalfTheDelay() {
        Backoff lowest = new Backoff(() -> 0.0);
        assertThat(lowest.delay(3, 100, 10_000, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(lowest.delay(20, 100, 10_000, null)).isEqualTo(Duration.ofMillis(5_000));
    }

    @Test
    void theHandlersRetryAfterWinsUpToTheStepsCap() {
        Backoff backoff = new Backoff();
        assertThat(backoff.delay(3, 100, 60_000, Duration.ofSeconds(42))).isEqualTo(Duration.ofSeconds(42));
        assertThat(backoff.delay(3, 100, 10_000, Duration.ofSeconds(42))).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(1, 100, 30_000, Duration.ofDays(365L * 300))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(3, 100, 10_000, Duration.ZERO)).isZero();
        assertThat(backoff.delay(3, 100, 10_000, Duration.ofSeconds(-1))).isZero();
    }
}
