package io.streamlake.processors.aggregator;

import org.apache.datasketches.hll.HllSketch;

import java.util.HashSet;
import java.util.Set;

/**
 * One entity's distinct values for one count_distinct aggregation ({@link Accumulator.Distinct}): over sliding
 * windows, the minute each value was last seen (so each is counted once, in that minute's bucket) until there are
 * more than the bound, then sketches per bucket; over the lifetime, a set until the bound, then one sketch.
 */
final class DistinctValues {

    private final Accumulator.Distinct accumulator;
    private final StringPool pool;
    /**
     * Value → the minute of its latest event, for the values of the longest window (and, until the next clean-up,
     * some older ones); null once sketched.
     */
    private ValueMinutes lastSeen = new ValueMinutes();
    /** The size at which values older than the longest window are next dropped: twice the size after the last. */
    private int cleanAt = 16;
    /** Lifetime only: the values, or the sketch once there are more than the bound. */
    private Set<Object> lifetime;
    private HllSketch lifetimeSketch;

    DistinctValues(Accumulator.Distinct accumulator, StringPool pool, boolean lifetimeOnly) {
        this.accumulator = accumulator;
        this.pool = pool;
        if (lifetimeOnly) {
            this.lastSeen = null;
            this.lifetime = new HashSet<>();
        }
    }

    boolean sketched() {
        return lifetime == null ? lastSeen == null : lifetimeSketch != null;
    }

    /**
     * A value seen in {@code bucket}, over sliding windows, the entity's latest minute being {@code latestMinute}.
     * Values last seen before the accumulator's longest window are outside every window from now on; they are dropped
     * when the table has doubled since the last clean-up, so the cost is amortized and memory at most twice the live.
     */
    void add(Object value, Slots bucket, MinuteBuckets<Slots> buckets, long latestMinute) {
        if (lastSeen == null) {
            accumulator.sketch(bucket, value);
            return;
        }
        long previous = lastSeen.get(value);
        if (previous != Long.MIN_VALUE && previous >= bucket.minute) {
            return; // counted in a bucket as recent or more recent already
        }
        lastSeen.put(value instanceof String s ? pool.canonical(s) : value, bucket.minute);
        if (previous != Long.MIN_VALUE) {
            Slots old = buckets.find(previous);
            if (old != null) {
                accumulator.countHere(old, -1);
            }
        }
        accumulator.countHere(bucket, 1);
        if (lastSeen.size() >= cleanAt) {
            lastSeen.removeBefore(Math.max(latestMinute, bucket.minute) - accumulator.span + 1);
            cleanAt = Math.max(16, 2 * lastSeen.size());
        }
        if (lastSeen.size() > accumulator.exactUpTo()) {
            lastSeen.forEach((v, minute) -> {
                Slots b = buckets.find(minute);
                if (b != null) {
                    accumulator.sketch(b, v);
                }
            });
            lastSeen = null;
        }
    }

    /** A value seen, over the entity's lifetime. */
    void addLifetime(Object value) {
        if (lifetimeSketch != null) {
            lifetimeSketch.update(value.toString());
            return;
        }
        lifetime.add(value instanceof String s ? pool.canonical(s) : value);
        if (lifetime.size() > accumulator.exactUpTo()) {
            lifetimeSketch = new HllSketch(Accumulator.Distinct.LG_K);
            for (Object v : lifetime) {
                lifetimeSketch.update(v.toString());
            }
            lifetime.clear();
        }
    }

    long lifetimeCount() {
        return lifetimeSketch != null ? Math.round(lifetimeSketch.getEstimate()) : lifetime.size();
    }
}
