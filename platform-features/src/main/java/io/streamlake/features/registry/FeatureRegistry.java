package io.streamlake.features.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared features of one project, Feast's model: entities (name, join key, value type) and feature views
 * (name, entities, TTL, typed features, and where their values come from), and feature services (named lists
 * of {@code view:feature} references that models ask for together). Built by
 * {@link FeatureRegistryLoader}, which validates it; immutable.
 */
public record FeatureRegistry(String project, Map<String, Entity> entities, Map<String, FeatureView> featureViews,
                              Map<String, List<String>> featureServices, Map<String, OnDemandView> onDemandViews) {

    /** A registry without feature services or on-demand views. */
    public FeatureRegistry(String project, Map<String, Entity> entities, Map<String, FeatureView> featureViews) {
        this(project, entities, featureViews, Map.of(), Map.of());
    }

    /** An entity: features are looked up by its join key. */
    public record Entity(String name, String joinKey, FeatureType valueType, String description) {
    }

    /**
     * One feature of a view. {@code expression} (null for a plain feature) computes it from the view's aggregates, or,
     * in an on-demand view, from request data and stored features; {@code location} is where it is declared
     * ({@code file:line}), for errors found later (e.g. against the source's contract).
     */
    public record Feature(String name, FeatureType type, String description, String expression, String location) {

        public Feature(String name, FeatureType type, String description) {
            this(name, type, description, null, null);
        }
    }

    /**
     * Where a view's values come from: an event stream aggregated by feature-aggregator (the events' contract, their
     * topic and time field), feature rows written by another stream app ({@code stream}, a name only), a batch query
     * against an offline store, or rows pushed over HTTP ({@code push}, the push source's name).
     */
    public record Source(Kind kind, String stream, String store, String query, String contract, String topic,
                         String timestampField, String push) {
        public enum Kind { STREAM, BATCH, PUSH }

        /** True for a stream source whose events feature-aggregator aggregates as the view declares. */
        public boolean aggregated() {
            return kind == Kind.STREAM && contract != null;
        }

        /**
         * True when the view's values can be read from an offline store ({@code store} and {@code query}): a batch
         * view, or a stream view that also declares its offline equivalent (as Feast's stream views have a batch
         * source), which training sets read.
         */
        public boolean offline() {
            return query != null;
        }
    }

    /**
     * A sliding window of whole minutes ({@code 5m}: the minute of the entity's latest event and the four before), or
     * the entity's lifetime (while it is held: until it has been idle for the view's longest window and the grace).
     */
    public record Window(String label, Duration length) {
        public static final String LIFETIME = "lifetime";

        public boolean lifetime() {
            return length == null;
        }

        /** Minutes in the window; 0 for the lifetime. */
        public long minutes() {
            return length == null ? 0 : length.toMinutes();
        }

        /** An aggregate's name over this window: {@code bet_sum} and 1h give {@code bet_sum_1h}; lifetime, {@code bet_sum}. */
        public String name(String aggregation) {
            return lifetime() ? aggregation : aggregation + "_" + label;
        }
    }

    /** The functions an aggregation may use. */
    public enum Function {
        COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT, LAST, STDDEV;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One aggregation of a stream view: {@code function} of {@code column} (none for a row count) over the events
     * that pass {@code filter} (a SpEL condition over the contract's fields; null: all), per window.
     * {@code exactUpTo} bounds count_distinct's exact memory per entity and window set (a sketch beyond it).
     */
    public record Aggregation(String name, Function function, String column, String filter, List<Window> windows,
                              int exactUpTo, String location) {
    }

    /**
     * How a stream view aggregates its source's events: the view's windows (the default for its aggregations), a
     * filter every event must pass first, the grace for late events (null: the aggregator's setting), the
     * aggregations.
     */
    public record Aggregations(List<Window> windows, String filter, Duration grace, List<Aggregation> list) {

        /** Every aggregate the view computes, by name ({@code bet_sum_1h}), with its aggregation and window. */
        public Map<String, Aggregate> aggregates() {
            Map<String, Aggregate> all = new java.util.LinkedHashMap<>();
            for (Aggregation a : list) {
                for (Window w : a.windows()) {
                    all.put(w.name(a.name()), new Aggregate(a, w));
                }
            }
            return all;
        }
    }

    /** One aggregation over one window. */
    public record Aggregate(Aggregation aggregation, Window window) {
    }

    /** A feature view: features of one set of entities, with a time-to-live after which values are stale. */
    public record FeatureView(String name, List<String> entities, Duration ttl, List<Feature> features, Source source,
                              String description, Aggregations aggregations, String location) {

        public FeatureView(String name, List<String> entities, Duration ttl, List<Feature> features, Source source,
                           String description) {
            this(name, entities, ttl, features, source, description, null, null);
        }

        public Optional<Feature> feature(String name) {
            return features.stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    /** A value an on-demand view takes from the request (Feast's request source), next to the entity keys. */
    public record RequestField(String name, FeatureType type) {
    }

    /**
     * Feast's on-demand feature view: features computed at lookup time by expressions over request data and stored
     * features of its source views ({@code view.feature}).
     */
    public record OnDemandView(String name, List<String> sources, List<RequestField> request, List<Feature> features,
                               String description) {

        public Optional<Feature> feature(String name) {
            return features.stream().filter(f -> f.name().equals(name)).findFirst();
        }
    }

    public Optional<OnDemandView> onDemandView(String name) {
        return Optional.ofNullable(onDemandViews.get(name));
    }

    /** The stream views feature-aggregator computes (those with a contract source and aggregations). */
    public List<FeatureView> aggregatedViews() {
        return featureViews.values().stream().filter(v -> v.source().aggregated()).toList();
    }

    /** The {@code view:feature} references a feature service names, if it exists. */
    public Optional<List<String>> featureService(String name) {
        return Optional.ofNullable(featureServices.get(name));
    }

    public Optional<FeatureView> featureView(String name) {
        return Optional.ofNullable(featureViews.get(name));
    }

    /** The join keys of a view, in its entities' order. */
    public List<Entity> entitiesOf(FeatureView view) {
        return view.entities().stream().map(entities::get).toList();
    }
}
