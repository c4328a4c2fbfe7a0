package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractExpression;
import io.streamlake.core.contract.ContractField;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.row.FeatureRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes declared stream feature views from events of one contract; no Spring in here. Each event (JSON or Avro,
 * as {@link ContractWire} reads it) goes into every view it applies to (its join keys present, the view's filter
 * passed); at the end of a poll, {@link #rows()} gives one feature row per touched entity and view, as of the
 * entity's latest event. An event that is late for every view it applies to is rejected as LATE_EVENT; one late for
 * some views only is counted in the others (each view has its own entities and so its own lateness).
 */
public final class FeatureAggregator {

    /** A feature row and its message key (the entity's join key value). */
    public record Row(FeatureRow row, String key) {
    }

    private final Contract contract;
    private final ContractWire wire;
    private final ContractField time;
    private final List<ViewAggregator> views;
    private final List<Set<Object>> touched;
    private long newestMillis = Long.MIN_VALUE;

    /**
     * @param views the registry's stream views to compute; all must read {@code contract}
     * @param grace the default grace for late events (a view may declare its own)
     * @throws IllegalArgumentException when a view does not fit the contract, naming the definitions file and line
     */
    public FeatureAggregator(FeatureRegistry registry, List<FeatureRegistry.FeatureView> views, Contract contract,
                             ContractWire wire, Duration grace) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no stream feature views to compute");
        }
        this.contract = contract;
        this.wire = wire;
        this.views = new ArrayList<>();
        this.touched = new ArrayList<>();
        for (FeatureRegistry.FeatureView v : views) {
            if (!v.source().aggregated()) {
                throw new IllegalArgumentException(v.location() + ": feature view " + v.name()
                        + " is not aggregated from events (its source has no contract)");
            }
            if (!v.source().contract().equals(contract.subject())) {
                throw new IllegalArgumentException(v.location() + ": feature view " + v.name() + " reads "
                        + v.source().contract() + " events, but this aggregator reads " + contract.subject());
            }
            this.views.add(new ViewAggregator(new CompiledView(registry, v, contract, grace)));
            this.touched.add(new LinkedHashSet<>());
        }
        this.time = contract.eventTime();
    }

    /**
     * Adds one event; a rejection (unreadable, no event time, late for every view it applies to) is thrown.
     *
     * @param replay true for an event read again to rebuild the windows: counted, but its entities not touched
     * @return false when the event is for none of the views (a join key absent, or filtered out): not an error, the
     *         views just do not count such events
     * @throws InvalidEventException with the reason, for the DLQ
     */
    public boolean accept(byte[] payload, Object contentType, boolean replay) {
        Object[] values = wire.read(payload, contentType);
        long at = eventTime(values); // the contract's event time: required to place the event at all
        int applied = 0;
        int late = 0;
        for (int i = 0; i < views.size(); i++) {
            ViewAggregator view = views.get(i);
            ViewAggregator.Outcome outcome;
            try {
                outcome = view.add(values);
            } catch (ContractExpression.EvaluationFailure e) {
                throw new InvalidEventException(RejectionReason.RULE_VIOLATED, null, "a filter of feature view "
                        + view.name() + " could not be evaluated on this event: " + e.getMessage(), e);
            }
            if (outcome == ViewAggregator.Outcome.NOT_APPLICABLE) {
                continue;
            }
            applied++;
            if (outcome == ViewAggregator.Outcome.LATE) {
                late++;
            } else {
                newestMillis = Math.max(newestMillis, view.lastTime()); // a view may read another timestamp field
                if (!replay) {
                    touched.get(i).add(view.lastKey());
                }
            }
        }
        if (applied == 0) {
            return false;
        }
        if (late == applied) {
            throw new InvalidEventException(RejectionReason.LATE_EVENT, time.name(), time.name() + " "
                    + Instant.ofEpochMilli(at) + " is too old for the windows of " + names() + " (older than the entity's"
                    + " latest event by more than the grace)");
        }
        return true;
    }

    private long eventTime(Object[] values) {
        Object at = time == null ? null : values[time.index()];
        if (!(at instanceof Instant instant)) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, time == null ? null : time.name(),
                    (time == null ? "the event time" : time.name()) + " is required to place the event in windows");
        }
        return instant.toEpochMilli();
    }

    /**
     * The rows of the entities touched since the last call, one per entity and view, as of each entity's latest event;
     * then drops entities idle for longer than their view keeps them.
     */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            ViewAggregator view = views.get(i);
            for (Object key : touched.get(i)) {
                rows.add(new Row(view.row(key), ViewAggregator.messageKey(key)));
            }
            touched.get(i).clear();
        }
        if (newestMillis != Long.MIN_VALUE) {
            // After reading the rows: a touched entity is never evicted first.
            for (ViewAggregator view : views) {
                view.evictIdle(newestMillis);
            }
            newestMillis = Long.MIN_VALUE;
        }
        return rows;
    }

    public Contract contract() {
        return contract;
    }

    /** How far back a restart must replay: the longest of the views' windows (or TTLs) and grace. */
    public Duration replay() {
        return views.stream().map(ViewAggregator::replay).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Per view, its memory per entity and replay length (logged at start). */
    public List<String> describe() {
        return views.stream().map(ViewAggregator::describeMemory).toList();
    }

    /** Events counted late, per view name. */
    public java.util.Map<String, Long> late() {
        java.util.Map<String, Long> late = new java.util.LinkedHashMap<>();
        views.forEach(v -> late.put(v.name(), v.late()));
        return late;
    }

    /** Entities held, per view name. */
    public java.util.Map<String, Integer> activeEntities() {
        java.util.Map<String, Integer> active = new java.util.LinkedHashMap<>();
        views.forEach(v -> active.put(v.name(), v.activeEntities()));
        return active;
    }

    private List<String> names() {
        return views.stream().map(ViewAggregator::name).toList();
    }

    /** The view's aggregator (tests reach entities and buckets through it). */
    ViewAggregator view(String name) {
        return views.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}
