package io.streamlake.processors.validator;

import java.util.UUID;

/**
 * Remembers event ids seen in the last {@code window} milliseconds, but never more than {@code capacity}
 * of them: memory is bounded by the capacity whatever the rate (about 50 bytes per id). An id is a
 * duplicate while it is remembered, i.e. for min(window, time the last {@code capacity} ids took).
 * <p>
 * Ids are kept in arrival order in a ring of primitive arrays (oldest forgotten first), indexed by an
 * open-addressing table (linear probing, deletion by backward shift) whose entries hold the ring slot and the id's
 * 32-bit hash side by side. Probing and shifting read only the table, so one validated event costs a cache miss or
 * two in the table and sequential access to the ring; a {@code HashSet<UUID>} of this size costs an entry object, a
 * UUID and several cache misses per insert and per eviction.
 */
final class EventIdDeduplicator {

    private static final long EMPTY = -1L;

    private final long windowMillis;
    private final int capacity;
    private long[] msb;
    private long[] lsb;
    private long[] seenAt;
    /** {@code slot << 32 | hash} per entry, {@link #EMPTY} where free. At most half full. */
    private long[] table;
    private int mask;
    private int oldest;
    private int count;
    /** Ids forgotten because the capacity was full while they were still inside their window. */
    private long earlyEvictions;
    /** How long the last id forgotten early had been remembered: the window the capacity really gave. */
    private long lastEarlyEvictionAgeMillis = -1;

    EventIdDeduplicator(long windowMillis, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        allocate(Math.min(capacity, 1 << 12));
    }

    /** True the first time an id is offered within the window; false for a duplicate. */
    int capacity() {
        return capacity;
    }

    synchronized boolean firstSeen(UUID eventId, long nowMillis) {
        while (count > 0 && (count >= capacity || nowMillis - seenAt[oldest] > windowMillis)) {
            long age = nowMillis - seenAt[oldest];
            if (age <= windowMillis) {
                earlyEvictions++;
                lastEarlyEvictionAgeMillis = age;
            }
            remove(oldest);
            oldest = (oldest + 1) % msb.length;
            count--;
        }
        long hi = eventId.getMostSignificantBits();
        long lo = eventId.getLeastSignificantBits();
        int hash = hash(hi, lo);
        int i = hash & mask;
        for (long entry; (entry = table[i]) != EMPTY; i = (i + 1) & mask) {
            if ((int) entry == hash) {
                int slot = slot(entry);
                if (msb[slot] == hi && lsb[slot] == lo) {
                    return false;
                }
            }
        }
        if (count == msb.length) {
            grow();
            i = freeSlot(hash);
        }
        int slot = (oldest + count) % msb.length;
        msb[slot] = hi;
        lsb[slot] = lo;
        seenAt[slot] = nowMillis;
        table[i] = entry(slot, hash);
        count++;
        return true;
    }

    /** Takes a ring slot out of the table, shifting later entries of its probe run back so lookups still find them. */
    private void remove(int slot) {
        int i = hash(msb[slot], lsb[slot]) & mask;
        while (slot(table[i]) != slot) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long moved = table[j];
            if (moved == EMPTY) {
                break;
            }
            int home = (int) moved & mask;
            // The entry at j may fill the hole at i unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                table[i] = moved;
                i = j;
            }
        }
        table[i] = EMPTY;
    }

    /** The first free table slot on a hash's probe path (for an id known not to be in the table). */
    private int freeSlot(int hash) {
        int i = hash & mask;
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long entry(int slot, int hash) {
        return (long) slot << 32 | (hash & 0xFFFF_FFFFL);
    }

    private static int slot(long entry) {
        return (int) (entry >>> 32);
    }

    static int hash(long hi, long lo) {
        long h = (hi ^ lo) * 0x9E3779B97F4A7C15L; // random v4 ids are already uniform; this spreads any that are not
        return (int) (h ^ (h >>> 32));
    }

    private void allocate(int length) {
        msb = new long[length];
        lsb = new long[length];
        seenAt = new long[length];
        table = new long[Integer.highestOneBit(Math.max(2, length) * 2 - 1) * 2];
        java.util.Arrays.fill(table, EMPTY);
        mask = table.length - 1;
    }

    private void grow() {
        long[] oldMsb = msb;
        long[] oldLsb = lsb;
        long[] oldSeenAt = seenAt;
        allocate((int) Math.min(capacity, oldMsb.length * 2L));
        for (int k = 0; k < count; k++) {
            int from = (oldest + k) % oldMsb.length;
            msb[k] = oldMsb[from];
            lsb[k] = oldLsb[from];
            seenAt[k] = oldSeenAt[from];
            int hash = hash(msb[k], lsb[k]);
            table[freeSlot(hash)] = entry(k, hash);
        }
        oldest = 0;
    }

    synchronized int size() {
        return count;
    }

    /** Ids forgotten before their window ended, because the capacity was full; a duplicate of one goes undetected. */
    synchronized long earlyEvictions() {
        return earlyEvictions;
    }

    /** How long the last id forgotten early had been remembered (the window really kept), or -1 if none was. */
    synchronized long lastEarlyEvictionAgeMillis() {
        return lastEarlyEvictionAgeMillis;
    }
}
