package io.streamlake.processors.aggregator;

import org.apache.datasketches.hll.HllSketch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One entity's distinct values for one count_distinct aggregation ({@link Accumulator.Distinct}): over sliding
 * windows, the minute each value was last seen (so each is counted once, in that minute's bucket) until there are
 * more than the bound, then sketches per bucket; over the lifetime, a set until the bound, then one sketch.
 */
final class DistinctValues {

    private final Accumulator.Distinct accumulator;
    private final StringPool pool;
    /** Value → the minute of its latest event, for the values of the longest window; null once sketched. */
    private Map<Object, Long> lastSeen = new HashMap<>();
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

    /** A value seen in {@code bucket}, over sliding windows. */
    void add(Object value, Slots bucket, MinuteBuckets<Slots> buckets) {
        if (lastSeen == null) {
            accumulator.sketch(bucket, value);
            return;
        }
        Long previous = lastSeen.get(value);
        if (previous != null && previous >= bucket.minute) {
            return; // counted in a bucket as recent or more recent already
        }
        lastSeen.put(value instanceof String s ? pool.canonical(s) : value, bucket.minute);
        if (previous != null) {
            Slots old = buckets.find(previous);
            if (old != null) {
                accumulator.countHere(old, -1);
            }
        }
        accumulator.countHere(bucket, 1);
        if (lastSeen.size() > accumulator.exactUpTo()) {
            for (Map.Entry<Object, Long> e : lastSeen.entrySet()) {
                Slots b = buckets.find(e.getValue());
                if (b != null) {
                    accumulator.sketch(b, e.getKey());
                }
            }
            lastSeen = null;
        }
    }

    /** Forgets values last seen before {@code minute} (their buckets are outside every window from now on). */
    void forgetBefore(long minute) {
        if (lastSeen != null && !lastSeen.isEmpty()) {
            lastSeen.values().removeIf(m -> m < minute);
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
