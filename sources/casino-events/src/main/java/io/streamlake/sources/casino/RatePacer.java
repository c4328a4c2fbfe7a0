package io.streamlake.sources.casino;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a producer at a target rate: each call to {@link #acquire()} is one event; it parks only when the
 * producer is more than a millisecond ahead of schedule, so high rates are not throttled by timer precision.
 */
final class RatePacer {

    private static final long SLACK_NANOS = 1_000_000;

    private final long nanosPerEvent;
    private long start = -1;
    private long issued;

    RatePacer(double eventsPerSecond) {
        this.nanosPerEvent = Math.max(1, (long) (1e9 / eventsPerSecond));
    }

    void acquire() {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        long due = start + issued * nanosPerEvent;
        issued++;
        if (due - now > SLACK_NANOS) {
            LockSupport.parkNanos(due - now);
        }
    }
}
