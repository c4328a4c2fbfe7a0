package io.streamlake.sources.casino;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces events by their own time: none is sent before its event time, and events whose time has passed (a backfill:
 * history that starts before the source did) go out at once. The simulator's event times are 1 / events-per-second
 * apart, so once caught up this is the configured rate, and the events' times stay the wall clock's; a backfill that
 * took a minute to send is followed by that minute, unpaced, before the live pace begins. It parks only when more
 * than a millisecond ahead, so high rates are not throttled by timer precision. No Spring in here.
 */
final class EventTimePacer {

    private static final long SLACK_NANOS = 1_000_000;

    private final long wallAtStart;
    private final long monotonicAtStart;

    EventTimePacer(Instant now) {
        this.wallAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.monotonicAtStart = System.nanoTime();
    }

    /** Waits until the wall clock reaches {@code eventTime} (returns at once for a time already past). */
    void awaitTime(Instant eventTime) {
        long due = eventTime.getEpochSecond() * 1_000_000_000L + eventTime.getNano();
        long ahead = due - wallNanos();
        while (ahead > SLACK_NANOS) { // parkNanos may return early
            LockSupport.parkNanos(ahead);
            ahead = due - wallNanos();
        }
    }

    private long wallNanos() {
        return wallAtStart + (System.nanoTime() - monotonicAtStart);
    }
}
