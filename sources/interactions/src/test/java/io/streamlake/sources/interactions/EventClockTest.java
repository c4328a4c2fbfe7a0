package io.streamlake.sources.interactions;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventClockTest {

    @Test
    void aBackfillHandsOutThePastAtTheSimulatedRateThenGoesLive() {
        Instant now = Instant.now();
        EventClock clock = new EventClock(now, Duration.ofSeconds(3), at -> 1000);
        Instant first = clock.next();
        assertThat(first).isEqualTo(now.minusSeconds(3).plusMillis(1));
        Instant previous = first;
        int past = 1;
        while (!clock.live()) {
            Instant at = clock.next();
            if (!clock.live()) {
                assertThat(Duration.between(previous, at)).isEqualTo(Duration.ofMillis(1));
                assertThat(at).isBefore(now.plusSeconds(1));
                past++;
            }
            previous = at;
        }
        // 3 s of history at 1,000 events/s, less what the wall clock moved on while they were handed out
        assertThat(past).isGreaterThanOrEqualTo(3000);
        // live: each event waits for its time, so it is never ahead of the wall clock by more than the spacing
        for (int i = 0; i < 50; i++) {
            Instant at = clock.next();
            assertThat(Duration.between(Instant.now(), at)).isLessThan(Duration.ofMillis(2));
            assertThat(Duration.between(at, Instant.now())).isLessThan(Duration.ofMillis(200));
        }
    }

    @Test
    void withoutABackfillTheClockStartsLiveAtTheRate() {
        Instant now = Instant.now();
        EventClock clock = new EventClock(now, Duration.ZERO, at -> 100);
        assertThat(clock.live()).isTrue();
        Instant first = clock.next();
        for (int i = 0; i < 19; i++) {
            clock.next();
        }
        Instant last = clock.next();
        assertThat(Duration.between(first, last)).isEqualTo(Duration.ofMillis(200));
        assertThat(Instant.now()).isAfterOrEqualTo(last.minusMillis(2));
    }
}
