package io.streamlake.processors.aggregator;

/**
 * The state of a view's accumulators for one entity over one span of time: a minute bucket, the entity's lifetime,
 * or a window being summed up for a feature row. Each {@link Accumulator} owns fixed positions in the three arrays
 * (laid out once per view by {@link Layout}), so a bucket is three flat arrays, not an object per
 * aggregation; an array the view does not need is null.
 */
final class Slots implements MinuteBuckets.Bucket {

    /** The bucket's minute (epoch minutes); unused for lifetime and window sums. */
    final long minute;
    final long[] longs;
    final double[] doubles;
    final Object[] objects;

    Slots(long minute, Layout layout) {
        this.minute = minute;
        this.longs = layout.longs == 0 ? null : new long[layout.longs];
        this.doubles = layout.doubles == 0 ? null : new double[layout.doubles];
        this.objects = layout.objects == 0 ? null : new Object[layout.objects];
        layout.initialize(this);
    }

    @Override
    public long minute() {
        return minute;
    }

    /** Positions taken in the slot arrays by a view's accumulators (each reserves its own), and how to start a bucket. */
    static final class Layout {
        int longs;
        int doubles;
        int objects;
        /** What a new bucket needs besides zeros (e.g. a last value's time starts at Long.MIN_VALUE). */
        private final java.util.List<java.util.function.Consumer<Slots>> starts = new java.util.ArrayList<>();

        void onNewSlots(java.util.function.Consumer<Slots> start) {
            starts.add(start);
        }

        void initialize(Slots s) {
            for (java.util.function.Consumer<Slots> start : starts) {
                start.accept(s);
            }
        }

        /** Approximate bytes of one bucket (headers, arrays), for the memory each entity may take. */
        long bytesPerBucket() {
            return 32 + (longs == 0 ? 0 : 16 + 8L * longs) + (doubles == 0 ? 0 : 16 + 8L * doubles)
                    + (objects == 0 ? 0 : 16 + 4L * objects);
        }
    }
}
