package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.ContractExpression;
import io.streamlake.features.expression.FeatureExpression;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One declared stream feature view's state and arithmetic, per entity; no Spring in here. The view comes compiled
 * ({@link CompiledView}); per entity (the view's join keys' values) this keeps one {@link Slots} bucket per minute of
 * activity over the longest window plus the grace, and one for the lifetime aggregations; entities idle for that long
 * are dropped, so memory is bounded by the active entities ({@link #describeMemory()}).
 * <p>Windows are aligned to minutes: after an event at time t in minute M, a 5-minute window holds minutes M-4 to M.
 * An event older than its entity's latest one by more than the grace is late for the view and not counted.
 * A feature row holds the entity's features as of its latest event: each aggregate, and the derived features
 * computed from them.
 */
final class ViewAggregator {

    /** What happened to an event in this view. */
    enum Outcome { COUNTED, LATE, NOT_APPLICABLE }

    private final CompiledView plan;
    /** This event's filter results, one per distinct filter (one event at a time: the binding's consumer thread). */
    private final boolean[] passed;
    private final Map<Object, Entity> entities = new HashMap<>();
    /** Entities by the minute of their latest event: {@link #evictIdle} looks only at the oldest minutes. */
    private final TreeMap<Long, Set<Object>> byLatestMinute = new TreeMap<>();
    private long late;
    private long counted;
    /** The entity and time of the event last counted (read by FeatureAggregator right after {@link #add}). */
    private Object lastKey;
    private long lastTime;

    ViewAggregator(CompiledView plan) {
        this.plan = plan;
        this.passed = new boolean[plan.filters.length];
    }

    String name() {
        return plan.view.name();
    }

    /** The event's time for this view (its timestamp field), or Long.MIN_VALUE when the event has none. */
    private long time(Object[] values) {
        return values[plan.timeField] instanceof java.time.Instant at ? at.toEpochMilli() : Long.MIN_VALUE;
    }

    /** The entity of the event {@link #add} last counted. */
    Object lastKey() {
        return lastKey;
    }

    /** The time of the event {@link #add} last counted. */
    long lastTime() {
        return lastTime;
    }

    static String messageKey(Object key) {
        return CompiledView.messageKey(key);
    }

    /**
     * Adds an event (its values in the contract's order). NOT_APPLICABLE: a join key or the time is missing, or the view's
     * filter refuses it; LATE: older than its entity's latest event by more than the grace.
     *
     * @throws ContractExpression.EvaluationFailure when a filter cannot be evaluated on the event
     */
    Outcome add(Object[] values) {
        long atMillis = time(values);
        Object key = plan.key(values);
        if (atMillis == Long.MIN_VALUE) {
            return Outcome.NOT_APPLICABLE;
        }
        if (key == null || plan.viewFilter != null && !plan.viewFilter.test(values)) {
            return Outcome.NOT_APPLICABLE;
        }
        Entity e = entities.get(key);
        if (e == null) {
            e = new Entity(key);
            entities.put(key, e);
        } else if (e.latest != Long.MIN_VALUE && atMillis < e.latest - plan.graceMillis) {
            late++;
            return Outcome.LATE;
        }
        for (int i = 0; i < plan.filters.length; i++) {
            passed[i] = plan.filters[i].test(values);
        }
        long minute = Math.floorDiv(atMillis, 60_000L);
        if (e.buckets != null) {
            Slots bucket = e.buckets.bucket(minute, m -> new Slots(m, plan.bucketLayout));
            addTo(plan.windowed, bucket, values, atMillis, e, false);
        }
        if (e.life != null) {
            addTo(plan.lifetime, e.life, values, atMillis, e, true);
        }
        if (atMillis > e.latest) {
            long latestMinute = Math.floorDiv(atMillis, 60_000L);
            if (e.latest == Long.MIN_VALUE || latestMinute != e.latestMinute) {
                if (e.latest != Long.MIN_VALUE) {
                    Set<Object> old = byLatestMinute.get(e.latestMinute);
                    old.remove(key);
                    if (old.isEmpty()) {
                        byLatestMinute.remove(e.latestMinute);
                    }
                }
                byLatestMinute.computeIfAbsent(latestMinute, m -> new HashSet<>()).add(e.key);
                e.latestMinute = latestMinute;
                if (e.buckets != null) { // once per minute of the entity's time, not once per event
                    e.buckets.evictBefore(latestMinute - plan.longestMinutes - plan.graceMinutes);
                }
            }
            e.latest = atMillis;
        }
        counted++;
        lastKey = key;
        lastTime = atMillis;
        return Outcome.COUNTED;
    }

    /**
     * Adds the event to the accumulators of a bucket (or of the lifetime) whose filter it passed; distinct values go
     * to the entity's {@link DistinctValues}, in the accumulators' order.
     */
    private void addTo(List<Accumulator> accumulators, Slots slots, Object[] values, long atMillis, Entity e,
                       boolean lifetime) {
        int d = 0;
        for (Accumulator a : accumulators) {
            boolean applies = a.filter < 0 || passed[a.filter];
            if (a instanceof Accumulator.Distinct) {
                Object v = values[a.column];
                if (applies && v != null) {
                    if (lifetime) {
                        e.lifetimeDistinct[d].addLifetime(v);
                    } else {
                        e.distinct[d].add(v, slots, e.buckets, e.latestMinute);
                    }
                }
                d++;
            } else if (applies) {
                ((Accumulator.PerEvent) a).add(slots, a.column < 0 ? null : values[a.column], atMillis);
            }
        }
    }

    /** The entity's feature row as of its latest event; the entity must have had an event counted. */
    FeatureRow row(Object key) {
        Entity e = entities.get(key);
        if (e == null || e.latest == Long.MIN_VALUE) {
            throw new IllegalArgumentException("no events for " + key + " in " + plan.view.name());
        }
        long m = e.latestMinute;
        Slots[] sums = new Slots[plan.windowMinutes.length];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = new Slots(0, plan.bucketLayout);
        }
        if (e.buckets != null && sums.length > 0) {
            // One pass over the buckets, newest first, feeds every window (longest first: a bucket outside a longer
            // window is outside the shorter ones too).
            for (Slots b : e.buckets.range(m - plan.longestMinutes + 1, m)) {
                for (int w = 0; w < plan.windowMinutes.length && b.minute >= m - plan.windowMinutes[w] + 1; w++) {
                    long[] into = sums[w].longs;
                    for (int slot : plan.additive[w]) {
                        into[slot] += b.longs[slot];
                    }
                    for (Accumulator a : plan.perWindow[w]) {
                        a.merge(sums[w], b);
                    }
                }
            }
        }
        Object[] values = new Object[plan.aggregates.length + 1];
        for (int i = 0; i < plan.aggregates.length; i++) {
            values[i] = value(plan.aggregates[i], e, sums);
        }
        Instant at = Instant.ofEpochMilli(e.latest);
        values[plan.aggregates.length] = at;
        Map<String, FeastValue> features = new LinkedHashMap<>(plan.featureNames.length * 2);
        for (int i = 0; i < plan.featureNames.length; i++) {
            Object v = plan.featureAggregate[i] >= 0 ? values[plan.featureAggregate[i]] : plan.featureExpressions[i].value(values);
            features.put(plan.featureNames[i], FeatureExpression.toFeast(v, plan.featureTypes[i]));
        }
        return new FeatureRow(plan.view.name(), plan.entityKey(e.key), at, features);
    }

    private Object value(CompiledView.Aggregate g, Entity e, Slots[] sums) {
        Slots s = g.window < 0 ? e.life : sums[g.window];
        return switch (g.function) {
            case COUNT -> ((Accumulator.Count) g.first).count(s);
            case SUM -> sum(g.first, s);
            case AVG -> {
                long n = ((Accumulator.Count) g.second).count(s);
                yield n == 0 ? null : ((Number) sum(g.first, s)).doubleValue() / n;
            }
            case MIN, MAX -> text(((Accumulator.Extreme) g.first).value(s), g.textValue);
            case LAST -> text(((Accumulator.Last) g.first).value(s), g.textValue);
            case STDDEV -> ((Accumulator.Moments) g.first).stddev(s);
            case COUNT_DISTINCT -> {
                if (g.window < 0) {
                    yield e.lifetimeDistinct[g.distinct].lifetimeCount();
                }
                yield ((Accumulator.Distinct) g.first).distinct(s, e.distinct[g.distinct].sketched());
            }
        };
    }

    private static Object sum(Accumulator a, Slots s) {
        return a instanceof Accumulator.ExactSum x ? x.sum(s) : (Object) ((Accumulator.DoubleSum) a).sum(s);
    }

    private static Object text(Object v, boolean asText) {
        return asText && v != null ? v.toString() : v;
    }

    /**
     * Drops entities with no event since {@code nowMillis} minus the longest window (the TTL for lifetime-only views)
     * and the grace; returns how many. Only the minutes before the cutoff are looked at: the cost is the number dropped.
     */
    int evictIdle(long nowMillis) {
        long cutoff = nowMillis - plan.idleMillis;
        long cutoffMinute = Math.floorDiv(cutoff, 60_000L);
        int dropped = 0;
        for (var it = byLatestMinute.headMap(cutoffMinute, true).entrySet().iterator(); it.hasNext(); ) {
            var minute = it.next();
            for (var ids = minute.getValue().iterator(); ids.hasNext(); ) {
                Object id = ids.next();
                if (entities.get(id).latest < cutoff) { // the cutoff's own minute is checked entity by entity
                    entities.remove(id);
                    ids.remove();
                    dropped++;
                }
            }
            if (minute.getValue().isEmpty()) {
                it.remove();
            }
        }
        return dropped;
    }

    int activeEntities() {
        return entities.size();
    }

    /** Minute buckets held for an entity (for checking the memory bound). */
    int bucketCount(Object key) {
        Entity e = entities.get(key);
        return e == null || e.buckets == null ? 0 : e.buckets.size();
    }

    long late() {
        return late;
    }

    long counted() {
        return counted;
    }

    Duration replay() {
        return plan.replay();
    }

    String describeMemory() {
        return plan.describeMemory();
    }

    /** One entity's state. */
    private final class Entity {
        final Object key;
        final MinuteBuckets<Slots> buckets;
        final Slots life;
        final DistinctValues[] distinct;
        final DistinctValues[] lifetimeDistinct;
        long latest = Long.MIN_VALUE;
        long latestMinute;

        Entity(Object key) {
            this.key = key;
            this.buckets = plan.windowed.isEmpty() ? null : new MinuteBuckets<>();
            this.life = plan.lifetime.isEmpty() ? null : new Slots(0, plan.lifetimeLayout);
            this.distinct = new DistinctValues[plan.windowedDistinct.size()];
            for (int i = 0; i < distinct.length; i++) {
                distinct[i] = new DistinctValues(plan.windowedDistinct.get(i), plan.strings, false);
            }
            this.lifetimeDistinct = new DistinctValues[plan.lifetimeDistinct.size()];
            for (int i = 0; i < lifetimeDistinct.length; i++) {
                lifetimeDistinct[i] = new DistinctValues(plan.lifetimeDistinct.get(i), plan.strings, true);
            }
        }
    }
}
