package io.streamlake.processors.aggregator;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

import java.math.BigDecimal;

/**
 * One running quantity of a view (a row count, a sum, an extreme, a last value, moments, distinct values), kept in a
 * {@link Slots} per minute bucket and added up over a window when a feature row is read. The view's aggregations are
 * built from these and share them: {@code avg(bet_amount)} and {@code sum(bet_amount)} with one filter keep one sum.
 * <p>Each works on events that passed its filter ({@code filter}, an index into the view's filters; -1: none) and reads
 * one field of the event ({@code column}, -1 for a row count); a null value is not counted (as in SQL).
 */
abstract class Accumulator {

    final int filter;
    final int column;

    Accumulator(int filter, int column) {
        this.filter = filter;
        this.column = column;
    }

    /** Takes this accumulator's positions in the layout (and says what a new bucket needs besides zeros). */
    abstract void reserve(Slots.Layout layout);


    /**
     * Adds {@code from}'s state to {@code into}'s (a window summing up its buckets), except the {@link #additiveSlots}:
     * the caller adds those for all accumulators of a window in one loop of long additions, the common case.
     */
    abstract void merge(Slots into, Slots from);

    /**
     * An accumulator that takes events one by one into a bucket. (Distinct values are the other kind: they need the
     * entity's value table, so {@link DistinctValues} adds them.)
     */
    abstract static class PerEvent extends Accumulator {
        PerEvent(int filter, int column) {
            super(filter, column);
        }

        /** Adds one event's value (already known to pass the filter; null only for a row count). */
        abstract void add(Slots s, Object value, long timeMillis);
    }

    /** Long slots merged by plain addition (counts), which {@link #merge} leaves to the caller. */
    int[] additiveSlots() {
        return new int[0];
    }

    /** False when {@link #merge} has nothing to do beyond the additive slots. */
    boolean mergesMore() {
        return true;
    }

    /** Rows that passed the filter (no column), or rows with a value in the column. */
    static final class Count extends PerEvent {
        private int slot;

        Count(int filter, int column) {
            super(filter, column);
        }

        @Override
        void reserve(Slots.Layout layout) {
            slot = layout.longs++;
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            if (column < 0 || value != null) {
                s.longs[slot]++;
            }
        }

        @Override
        void merge(Slots into, Slots from) {
            // the count is an additive slot
        }

        @Override
        int[] additiveSlots() {
            return new int[] {slot};
        }

        @Override
        boolean mergesMore() {
            return false;
        }

        long count(Slots s) {
            return s.longs[slot];
        }
    }

    /**
     * An exact sum of decimals (or whole numbers: scale 0): values with at most the column's scale are added as
     * unscaled longs, so adding up a day of minute buckets costs long additions; a finer value, or a sum beyond a long,
     * is carried exactly beside them in a BigDecimal. Never rounded until the feature is written.
     */
    static final class ExactSum extends PerEvent {
        /** Integer digits a value may have to be added as unscaled long: 18 digits in all stay well inside a long. */
        private static final int MAX_DIGITS = 18;
        private final int scale;
        private int unscaled;
        private int rest;

        ExactSum(int filter, int column, int scale) {
            super(filter, column);
            this.scale = scale;
        }

        @Override
        void reserve(Slots.Layout layout) {
            unscaled = layout.longs++;
            rest = layout.objects++;
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            if (value instanceof BigDecimal d) {
                int sc = d.scale();
                if (sc >= 0 && sc <= scale && d.precision() - sc + scale <= MAX_DIGITS) {
                    addUnscaled(s, d.movePointRight(scale).longValue());
                } else {
                    addRest(s, d);
                }
            } else if (value instanceof Long || value instanceof Integer) {
                long v = ((Number) value).longValue();
                if (scale == 0) {
                    addUnscaled(s, v);
                } else {
                    addRest(s, BigDecimal.valueOf(v));
                }
            }
        }

        private void addUnscaled(Slots s, long v) {
            long sum = s.longs[unscaled] + v;
            if (((s.longs[unscaled] ^ sum) & (v ^ sum)) < 0) { // overflowed: keep this part exactly instead
                addRest(s, BigDecimal.valueOf(v, scale));
            } else {
                s.longs[unscaled] = sum;
            }
        }

        private void addRest(Slots s, BigDecimal v) {
            Object r = s.objects[rest];
            s.objects[rest] = r == null ? v : ((BigDecimal) r).add(v);
        }

        @Override
        void merge(Slots into, Slots from) {
            addUnscaled(into, from.longs[unscaled]);
            if (from.objects[rest] != null) {
                addRest(into, (BigDecimal) from.objects[rest]);
            }
        }

        BigDecimal sum(Slots s) {
            BigDecimal sum = BigDecimal.valueOf(s.longs[unscaled], scale);
            Object r = s.objects[rest];
            return r == null ? sum : sum.add((BigDecimal) r);
        }
    }

    /** A floating-point sum (double columns). */
    static final class DoubleSum extends PerEvent {
        private int slot;

        DoubleSum(int filter, int column) {
            super(filter, column);
        }

        @Override
        void reserve(Slots.Layout layout) {
            slot = layout.doubles++;
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            if (value instanceof Number n) {
                s.doubles[slot] += n.doubleValue();
            }
        }

        @Override
        void merge(Slots into, Slots from) {
            into.doubles[slot] += from.doubles[slot];
        }

        double sum(Slots s) {
            return s.doubles[slot];
        }
    }

    /** The least or greatest value (numbers, timestamps, strings: compared as their own type). */
    static final class Extreme extends PerEvent {
        private final boolean max;
        private int slot;

        Extreme(int filter, int column, boolean max) {
            super(filter, column);
            this.max = max;
        }

        @Override
        void reserve(Slots.Layout layout) {
            slot = layout.objects++;
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            offer(s, value);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void offer(Slots s, Object value) {
            if (value == null) {
                return;
            }
            Object current = s.objects[slot];
            if (current == null) {
                s.objects[slot] = value;
                return;
            }
            int c = ((Comparable) value).compareTo(current);
            if (max ? c > 0 : c < 0) {
                s.objects[slot] = value;
            }
        }

        @Override
        void merge(Slots into, Slots from) {
            offer(into, from.objects[slot]);
        }

        Object value(Slots s) {
            return s.objects[slot];
        }
    }

    /** The value of the latest event by event time (of equal times, the one that arrived last). */
    static final class Last extends PerEvent {
        private int time;
        private int slot;

        Last(int filter, int column) {
            super(filter, column);
        }

        @Override
        void reserve(Slots.Layout layout) {
            time = layout.longs++;
            slot = layout.objects++;
            layout.onNewSlots(s -> s.longs[time] = Long.MIN_VALUE);
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            if (value != null && timeMillis >= s.longs[time]) {
                s.longs[time] = timeMillis;
                s.objects[slot] = value;
            }
        }

        @Override
        void merge(Slots into, Slots from) {
            if (from.objects[slot] != null && from.longs[time] >= into.longs[time]) {
                into.longs[time] = from.longs[time];
                into.objects[slot] = from.objects[slot];
            }
        }

        Object value(Slots s) {
            return s.objects[slot];
        }
    }

    /** Count, mean and sum of squared deviations (Welford per bucket, Chan et al. to combine buckets). */
    static final class Moments extends PerEvent {
        private int n;
        private int mean;

        Moments(int filter, int column) {
            super(filter, column);
        }

        @Override
        void reserve(Slots.Layout layout) {
            n = layout.longs++;
            mean = layout.doubles;
            layout.doubles += 2;
        }

        @Override
        void add(Slots s, Object value, long timeMillis) {
            if (!(value instanceof Number number)) {
                return;
            }
            double x = number.doubleValue();
            long count = ++s.longs[n];
            double delta = x - s.doubles[mean];
            s.doubles[mean] += delta / count;
            s.doubles[mean + 1] += delta * (x - s.doubles[mean]);
        }

        @Override
        void merge(Slots into, Slots from) {
            long nb = from.longs[n];
            if (nb == 0) {
                return;
            }
            long na = into.longs[n];
            long count = na + nb;
            double delta = from.doubles[mean] - into.doubles[mean];
            into.doubles[mean] += delta * nb / count;
            into.doubles[mean + 1] += from.doubles[mean + 1] + delta * delta * na * nb / count;
            into.longs[n] = count;
        }

        /** The sample standard deviation (n - 1), null for fewer than two values. */
        Double stddev(Slots s) {
            long count = s.longs[n];
            return count < 2 ? null : Math.sqrt(Math.max(0, s.doubles[mean + 1]) / (count - 1));
        }
    }

    /**
     * Distinct values over sliding windows. Exact while an entity has at most {@code exactUpTo} distinct values in
     * the longest window: each value is counted once, in the bucket of its latest event (it moves forward with it),
     * so a window's distinct count is the sum of its buckets' counts. Beyond that bound the entity's buckets switch to
     * HyperLogLog sketches (Apache DataSketches, 2^12 registers: about 1.6 % relative standard error), unioned over
     * the window, so memory stays bounded whatever the cardinality. The lifetime keeps a set, or one sketch.
     */
    static final class Distinct extends Accumulator {
        static final int LG_K = 12;
        private final int exactUpTo;
        /** The longest window (minutes) read from it: values last seen before it are forgotten. */
        long span;
        private int count;
        private int sketch;

        Distinct(int filter, int column, int exactUpTo) {
            super(filter, column);
            this.exactUpTo = exactUpTo;
        }

        @Override
        void reserve(Slots.Layout layout) {
            count = layout.longs++;
            sketch = layout.objects++;
        }

        int exactUpTo() {
            return exactUpTo;
        }

        void countHere(Slots s, int delta) {
            s.longs[count] += delta;
        }

        void sketch(Slots s, Object value) {
            HllSketch h = (HllSketch) s.objects[sketch];
            if (h == null) {
                h = new HllSketch(LG_K);
                s.objects[sketch] = h;
            }
            h.update(value.toString());
        }

        @Override
        int[] additiveSlots() {
            return new int[] {count};
        }

        @Override
        void merge(Slots into, Slots from) {
            Object h = from.objects[sketch]; // the count is an additive slot
            if (h != null) {
                Union u = (Union) into.objects[sketch];
                if (u == null) {
                    u = new Union(LG_K);
                    into.objects[sketch] = u;
                }
                u.update((HllSketch) h);
            }
        }

        /** A window's distinct count: the exact count, or the sketches' estimate (rounded) once sketched. */
        long distinct(Slots window, boolean sketched) {
            if (!sketched) {
                return window.longs[count];
            }
            Union u = (Union) window.objects[sketch];
            return u == null ? 0 : Math.round(u.getEstimate());
        }
    }
}
