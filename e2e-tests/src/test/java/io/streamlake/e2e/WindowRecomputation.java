package io.streamlake.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A brute-force recomputation of windowed features from events in the order a feature view's entity saw them, for
 * checking what the stream computed: per entity, the events not later than the grace behind its latest one, and its
 * latest event time; a window of N minutes holds the events of the latest event's minute and the N-1 before.
 */
final class WindowRecomputation<E> {

    private final Function<E, Instant> time;
    private final Map<String, List<E>> accepted = new LinkedHashMap<>();
    private final Map<String, Instant> latest = new LinkedHashMap<>();

    /** Groups {@code events} (in arrival order) by {@code entity} (null: not for the view), applying the grace. */
    WindowRecomputation(List<E> events, Function<E, String> entity, Function<E, Instant> time, Duration grace) {
        this.time = time;
        for (E e : events) {
            String key = entity.apply(e);
            if (key == null || key.isEmpty()) {
                continue;
            }
            Instant at = time.apply(e);
            Instant l = latest.get(key);
            if (l != null && at.isBefore(l.minus(grace))) {
                continue;
            }
            accepted.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            if (l == null || at.isAfter(l)) {
                latest.put(key, at);
            }
        }
    }

    Map<String, Instant> latest() {
        return latest;
    }

    /** The entity's events in its window of {@code minutes}. */
    List<E> window(String entity, long minutes) {
        long m = Math.floorDiv(latest.get(entity).getEpochSecond(), 60);
        return accepted.get(entity).stream().filter(e -> {
            long em = Math.floorDiv(time.apply(e).getEpochSecond(), 60);
            return em >= m - minutes + 1 && em <= m;
        }).toList();
    }
}
