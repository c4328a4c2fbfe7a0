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
                              Map<String, List<String>> featureServices) {

    /** A registry without feature services. */
    public FeatureRegistry(String project, Map<String, Entity> entities, Map<String, FeatureView> featureViews) {
        this(project, entities, featureViews, Map.of());
    }

    /** An entity: features are looked up by its join key. */
    public record Entity(String name, String joinKey, FeatureType valueType, String description) {
    }

    /** One feature of a view. */
    public record Feature(String name, FeatureType type, String description) {
    }

    /**
     * Where a view's values come from: a stream aggregation (its name, e.g. the feature-aggregator's window
     * spec) or a batch query against an offline store.
     */
    public record Source(Kind kind, String stream, String store, String query) {
        public enum Kind { STREAM, BATCH }
    }

    /** A feature view: features of one set of entities, with a time-to-live after which values are stale. */
    public record FeatureView(String name, List<String> entities, Duration ttl, List<Feature> features, Source source,
                              String description) {

        public Optional<Feature> feature(String name) {
            return features.stream().filter(f -> f.name().equals(name)).findFirst();
        }
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
