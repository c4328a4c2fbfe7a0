package io.streamlake.stream;

import java.time.Clock;
import java.time.Duration;

/**
 * How many records an app sent to its DLQ over the last {@code window}, in one-second buckets, and whether that just
 * crossed the alert threshold: at most once per {@code quiet} period, so a barrage of bad input is one alert, not one
 * per record. Spring-free; thread-safe.
 */
public final class DeadLetterRate {

    private final int threshold;
    private final long[] counts;
    private final long[] seconds;
    private final long quietMillis;
    private final Clock clock;
    private long lastAlert = Long.MIN_VALUE;

    /** @param threshold records within {@code window} that make an alert; 0 or less: never */
    public DeadLetterRate(int threshold, Duration window, Duration quiet, Clock clock) {
        int buckets = (int) Math.max(1, window.toSeconds());
        this.threshold = threshold;
        this.counts = new long[buckets];
        this.seconds = new long[buckets];
        java.util.Arrays.fill(seconds, -1);
        this.quietMillis = quiet.toMillis();
        this.clock = clock;
    }

    /** Counts one record; true when the window's count has reached the threshold and no alert went out lately. */
    public synchronized boolean record() {
        long now = clock.millis();
        long second = now / 1000;
        int i = (int) (second % counts.length);
        if (seconds[i] != second) {
            seconds[i] = second;
            counts[i] = 0;
        }
        counts[i]++;
        if (threshold <= 0 || count(second) < threshold || lastAlert != Long.MIN_VALUE && now - lastAlert < quietMillis) {
            return false;
        }
        lastAlert = now;
        return true;
    }

    /** Records within the window ending now. */
    public synchronized long count() {
        return count(clock.millis() / 1000);
    }

    private long count(long second) {
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seconds[i] > second - counts.length) {
                total += counts[i];
            }
        }
        return total;
    }
}
