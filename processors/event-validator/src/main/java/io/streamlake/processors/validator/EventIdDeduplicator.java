package io.streamlake.processors.validator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Remembers event ids seen in the last {@code window} milliseconds, but never more than {@code capacity}
 * of them: memory is bounded by the capacity whatever the rate (about 100 bytes per id). An id is a
 * duplicate while it is remembered, i.e. for min(window, time the last {@code capacity} ids took).
 */
final class EventIdDeduplicator {

    private final long windowMillis;
    private final int capacity;
    private final LinkedHashMap<UUID, Long> firstSeen;

    EventIdDeduplicator(long windowMillis, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        this.firstSeen = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f);
    }

    /** True the first time an id is offered within the window; false for a duplicate. */
    synchronized boolean firstSeen(UUID eventId, long nowMillis) {
        Iterator<Map.Entry<UUID, Long>> oldest = firstSeen.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<UUID, Long> e = oldest.next();
            if (firstSeen.size() >= capacity || nowMillis - e.getValue() > windowMillis) {
                oldest.remove();
            } else {
                break;
            }
        }
        return firstSeen.putIfAbsent(eventId, nowMillis) == null;
    }

    synchronized int size() {
        return firstSeen.size();
    }
}
