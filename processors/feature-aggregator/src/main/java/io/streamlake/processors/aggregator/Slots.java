package io.streamlake.processors.aggregator;

/**
 * The state of a view's accumulators for one entity over one span of time: a minute bucket, the entity's lifetime,
 * or a window being summed up for a feature row. Each {@link Accumulator} owns fixed positions in the three arrays
 * (laid out once per view by {@link Accumulator.Layout}), so a bucket is three flat arrays, not an object per
 * aggregation; an array the view does not need is null.
 */
final class Slots implements MinuteBuckets.Bucket {

    /** The bucket's minute (epoch minutes); unused for lifetime and window sums. */
    final long minute;
    final long[] longs;
    final double[] doubles;
    final Object[] objects;

    Slots(long minute, Accumulator.Layout layout) {
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
}
