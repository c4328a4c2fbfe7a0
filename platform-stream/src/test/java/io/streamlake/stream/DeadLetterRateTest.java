package io.streamlake.stream;

import io.streamlake.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterRateTest {

    @Test
    void aBarrageIsOneAlertAndARateBelowTheThresholdNone() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        DeadLetterRate rate = new DeadLetterRate(3, Duration.ofMinutes(1), Duration.ofMinutes(10), clock);
        assertThat(rate.record()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(rate.record()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(rate.record()).as("3 within the minute").isTrue();
        assertThat(rate.count()).isEqualTo(3);
        for (int i = 0; i < 100; i++) {
            assertThat(rate.record()).as("quiet after an alert").isFalse();
        }
        // two a minute for a long while: never three within one minute
        clock.advance(Duration.ofMinutes(20));
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofSeconds(31));
            assertThat(rate.record()).isFalse();
        }
        assertThat(rate.count()).isEqualTo(2);
        // and a barrage again, after the quiet period: one more alert
        boolean alerted = false;
        for (int i = 0; i < 50; i++) {
            alerted |= rate.record();
        }
        assertThat(alerted).isTrue();
    }

    @Test
    void aThresholdOfZeroNeverAlerts() {
        DeadLetterRate rate = new DeadLetterRate(0, Duration.ofMinutes(1), Duration.ofMinutes(10), Clock.systemUTC());
        for (int i = 0; i < 1000; i++) {
            assertThat(rate.record()).isFalse();
        }
    }
}
