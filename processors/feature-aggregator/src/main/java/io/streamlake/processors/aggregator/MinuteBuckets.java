package io.streamlake.processors.aggregator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One key's activity, one bucket per minute, oldest first. Late events (within a grace period) may land in a
 * minute before the newest; buckets older than the retention are dropped, so the size stays bounded.
 */
final class MinuteBuckets<B extends MinuteBuckets.Bucket> {

    /** A bucket knows its minute (epoch minutes). */
    interface Bucket {
        long minute();
    }

    private final ArrayDeque<B> buckets = new ArrayDeque<>();

    B bucket(long minute, LongFunction<B> create) {
        B last = buckets.peekLast();
        if (last == null || last.minute() < minute) {
            B b = create.apply(minute);
            buckets.addLast(b);
            return b;
        }
        for (Iterator<B> it = buckets.descendingIterator(); it.hasNext(); ) {
            B b = it.next();
            if (b.minute() == minute) {
                return b;
            }
            if (b.minute() < minute) {
                break;
            }
        }
        // A late minute between existing buckets: rebuild the order (rare: only within the grace period).
        B b = create.apply(minute);
        List<B> all = new ArrayList<>(buckets);
        all.add(b);
        all.sort(Comparator.comparingLong(Bucket::minute));
        buckets.clear();
        buckets.addAll(all);
        return b;
    }

    /** The bucket of {@code minute}, or null when there is none (never created, or dropped). */
    B find(long minute) {
        for (Iterator<B> it = buckets.descendingIterator(); it.hasNext(); ) {
            B b = it.next();
            if (b.minute() == minute) {
                return b;
            }
            if (b.minute() < minute) {
                return null;
            }
        }
        return null;
    }

    void evictBefore(long minute) {
        evictBefore(minute, evicted -> {
        });
    }

    /** Drops the buckets before {@code minute}, handing each to {@code onEvict}. */
    void evictBefore(long minute, java.util.function.Consumer<B> onEvict) {
        while (!buckets.isEmpty() && buckets.peekFirst().minute() < minute) {
            onEvict.accept(buckets.removeFirst());
        }
    }

    /** The buckets of minutes {@code from} to {@code to}, newest first. */
    Iterable<B> range(long from, long to) {
        return () -> new Iterator<>() {
            private final Iterator<B> all = buckets.descendingIterator();
            private B next = advance();

            private B advance() {
                while (all.hasNext()) {
                    B b = all.next();
                    if (b.minute() < from) {
                        return null;
                    }
                    if (b.minute() <= to) {
                        return b;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public B next() {
                B current = next;
                next = advance();
                return current;
            }
        };
    }

    int size() {
        return buckets.size();
    }
}
