package io.streamlake.sources.interactions;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * The times the interactions happen at, and the pace they are sent at; no Spring in here. Each event happens
 * 1/rate after the one before, the rate being the simulation's at that moment. Events in the past (a backfill: the
 * clock starts before now) are handed out as fast as they are asked for; once the clock reaches now it waits for each
 * event's time, so the live part keeps the simulated pace. A live clock that falls far behind (a long GC pause, a
 * stalled broker) jumps to now instead of bursting to catch up.
 */
public final class EventClock {

    /** How far behind the live clock may fall before it jumps to now rather than catching up. */
    private static final long MAX_LAG_NANOS = 1_000_000_000L;

    private final ToDoubleFunction<Instant> rate;
    private final long wallAtStart;
    private final long monotonicAtStart;
    /** The current event's time, in nanoseconds since the epoch. */
    private long eventNanos;
    private boolean live;

    /** A clock whose first event is at {@code now − backfill} (a zero backfill starts live). */
    public EventClock(Instant now, Duration backfill, ToDoubleFunction<Instant> rate) {
        this.rate = rate;
        this.wallAtStart = epochNanos(now);
        this.monotonicAtStart = System.nanoTime();
        this.eventNanos = epochNanos(now.minus(backfill));
        this.live = backfill.isZero();
    }

    /** Whether the clock has reached now (the backfill is over). */
    public boolean live() {
        return live;
    }

    /** The next event's time; waits for it when it is in the future. */
    public Instant next() {
        eventNanos += (long) (1e9 / Math.max(0.001, rate.applyAsDouble(instant(eventNanos))));
        long ahead = eventNanos - wallNanos();
        if (ahead > 0) {
            live = true;
            while (ahead > 1_000_000) { // parkNanos may return early
                LockSupport.parkNanos(ahead);
                ahead = eventNanos - wallNanos();
            }
        } else if (live && -ahead > MAX_LAG_NANOS) {
            eventNanos -= ahead;
        }
        return instant(eventNanos);
    }

    private long wallNanos() {
        return wallAtStart + (System.nanoTime() - monotonicAtStart);
    }

    private static long epochNanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
