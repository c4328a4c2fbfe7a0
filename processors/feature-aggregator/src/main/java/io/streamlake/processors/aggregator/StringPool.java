package io.streamlake.processors.aggregator;

/**
 * Shares one instance of equal strings among the keys a window keeps. Every parsed event brings its own copy of its
 * customer and game ids, and a window that keeps them per (customer, game) pair would otherwise hold hundreds of
 * copies of each id. Direct-mapped and bounded: a collision replaces the older entry, which only costs sharing,
 * never correctness.
 */
final class StringPool {

    private final String[] table;
    private final int mask;

    /** @param size slots, rounded up to a power of two */
    StringPool(int size) {
        int n = Integer.highestOneBit(Math.max(16, size) - 1) << 1;
        table = new String[n];
        mask = n - 1;
    }

    /** An instance equal to {@code s}: the pooled one when there is one. */
    String canonical(String s) {
        int h = s.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        String pooled = table[i];
        if (pooled != null && pooled.equals(s)) {
            return pooled;
        }
        table[i] = s;
        return s;
    }
}
