package io.streamlake.processors.validator;

import java.util.HashSet;
import java.util.UUID;

/**
 * Remembers event ids seen in the last {@code window} milliseconds, but never more than {@code capacity}
 * of them: memory is bounded by the capacity whatever the rate (about 100 bytes per id). An id is a
 * duplicate while it is remembered, i.e. for min(window, time the last {@code capacity} ids took).
 * Ids are kept in arrival order in a ring (oldest forgotten first) beside a set for the lookups.
 */
final class EventIdDeduplicator {

    private final long windowMillis;
    private final int capacity;
    private final HashSet<UUID> remembered;
    private UUID[] ids;
    private long[] seenAt;
    private int oldest;
    private int count;

    EventIdDeduplicator(long windowMillis, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        int initial = Math.min(capacity, 1 << 12);
        this.remembered = new HashSet<>(initial * 2);
        this.ids = new UUID[initial];
        this.seenAt = new long[initial];
    }

    /** True the first time an id is offered within the window; false for a duplicate. */
    synchronized boolean firstSeen(UUID eventId, long nowMillis) {
        while (count > 0 && (count >= capacity || nowMillis - seenAt[oldest] > windowMillis)) {
            remembered.remove(ids[oldest]);
            ids[oldest] = null;
            oldest = (oldest + 1) % ids.length;
            count--;
        }
        if (!remembered.add(eventId)) {
            return false;
        }
        if (count == ids.length) {
            grow();
        }
        int slot = (oldest + count) % ids.length;
        ids[slot] = eventId;
        seenAt[slot] = nowMillis;
        count++;
        return true;
    }

    private void grow() {
        int length = (int) Math.min(capacity, ids.length * 2L);
        UUID[] newIds = new UUID[length];
        long[] newSeenAt = new long[length];
        for (int i = 0; i < count; i++) {
            newIds[i] = ids[(oldest + i) % ids.length];
            newSeenAt[i] = seenAt[(oldest + i) % ids.length];
        }
        ids = newIds;
        seenAt = newSeenAt;
        oldest = 0;
    }

    synchronized int size() {
        return count;
    }
}
