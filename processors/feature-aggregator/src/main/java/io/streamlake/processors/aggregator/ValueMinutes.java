package io.streamlake.processors.aggregator;

/**
 * Distinct values and the minute each was last seen: an open-addressing table of keys and int minutes (epoch
 * minutes fit an int until the year 6053), so an entry costs two array slots, not a HashMap node and a boxed Long.
 * Values seen long ago are dropped in bulk ({@link #removeBefore}), never one by one.
 */
final class ValueMinutes {

    private static final int ABSENT = Integer.MIN_VALUE;

    private Object[] keys;
    private int[] minutes;
    private int size;

    ValueMinutes() {
        keys = new Object[8];
        minutes = new int[8];
    }

    int size() {
        return size;
    }

    /** The minute {@code key} was last seen, or {@link Long#MIN_VALUE} when it is not held. */
    long get(Object key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object k = keys[i];
            if (k == null) {
                return Long.MIN_VALUE;
            }
            if (k.equals(key)) {
                return minutes[i];
            }
        }
    }

    void put(Object key, long minute) {
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2, ABSENT);
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object k = keys[i];
            if (k == null) {
                keys[i] = key;
                minutes[i] = (int) minute;
                size++;
                return;
            }
            if (k.equals(key)) {
                minutes[i] = (int) minute;
                return;
            }
        }
    }

    /** Drops the values last seen before {@code minute}. */
    void removeBefore(long minute) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null && minutes[i] >= minute) {
                n++;
            }
        }
        int capacity = 8;
        while (capacity < n * 2 + 2) {
            capacity *= 2;
        }
        rehash(capacity, (int) Math.max(Integer.MIN_VALUE + 1, minute));
    }

    /** Every value held, with its minute. */
    void forEach(java.util.function.ObjIntConsumer<Object> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], minutes[i]);
            }
        }
    }

    private void rehash(int capacity, int keepFrom) {
        Object[] oldKeys = keys;
        int[] oldMinutes = minutes;
        keys = new Object[capacity];
        minutes = new int[capacity];
        size = 0;
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            Object k = oldKeys[j];
            if (k == null || oldMinutes[j] < keepFrom) {
                continue;
            }
            int i = slot(k, mask);
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            minutes[i] = oldMinutes[j];
            size++;
        }
    }

    private static int slot(Object key, int mask) {
        int h = key.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
