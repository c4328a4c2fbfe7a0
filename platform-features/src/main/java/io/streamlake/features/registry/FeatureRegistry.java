package io.streamlake.features.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared features of one project, Feast's model: entities (name, join key, value type) and feature views
 * (name, entities, TTL, typed features, and where their values come from). Built by
 * {@link FeatureRegistryLoader}, which validates it; immutable.
 */
public record FeatureRegistry(String project, Map<String, Entity> entities, Map<String, FeatureView> featureViews) {

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

    public Optional<FeatureView> featureView(String name) {
        return Optional.ofNullable(featureViews.get(name));
    }

    /** The join keys of a view, in its entities' order. */
    public List<Entity> entitiesOf(FeatureView view) {
        return view.entities().stream().map(entities::get).toList();
    }
}
