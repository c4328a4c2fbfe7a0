package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.features.redis.FeatureFreshness;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /features/views}: every feature view of the registry with its entities, TTL, source and features, and its
 * freshness from what the project's writers recorded ({@link FeatureFreshness}): the newest event time written, its
 * age in seconds, rows written and stale rows skipped; then the on-demand views. No Spring in here. The same ages feed
 * the {@code feature_freshness_seconds} gauge, from a snapshot at most a second old.
 */
final class FeatureViewsListing {

    private final FeatureRegistry registry;
    private final OnlineFeatureReader reader;
    private final Clock clock;
    private volatile Map<String, FeatureFreshness.View> snapshot = Map.of();
    private volatile long snapshotAt = Long.MIN_VALUE;

    FeatureViewsListing(FeatureRegistry registry, OnlineFeatureReader reader, Clock clock) {
        this.registry = registry;
        this.reader = reader;
        this.clock = clock;
    }

    JsonNode list() {
        Map<String, FeatureFreshness.View> freshness = reader.freshness();
        snapshot = freshness;
        snapshotAt = clock.millis();
        Instant now = clock.instant();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        out.put("project", registry.project());
        ArrayNode views = out.putArray("feature_views");
        for (FeatureRegistry.FeatureView v : registry.featureViews().values()) {
            ObjectNode view = views.addObject();
            view.put("name", v.name());
            registry.entitiesOf(v).forEach(e -> view.withArray("entities").add(e.joinKey()));
            view.put("ttl_seconds", v.ttl().toSeconds());
            ObjectNode source = view.putObject("source");
            FeatureRegistry.Source s = v.source();
            source.put("kind", s.aggregated() ? "stream-aggregation" : s.kind().name().toLowerCase());
            putIf(source, "contract", s.contract());
            putIf(source, "topic", s.topic());
            putIf(source, "stream", s.stream());
            putIf(source, "store", s.store());
            putIf(source, "push", s.push());
            v.features().forEach(f -> view.withArray("features").addObject().put("name", f.name())
                    .put("dtype", f.type().feastName()));
            FeatureFreshness.View f = freshness.get(v.name());
            ObjectNode fresh = view.putObject("freshness");
            if (f == null || f.newest() == null) {
                fresh.putNull("newest_event_timestamp");
                fresh.putNull("freshness_seconds");
            } else {
                fresh.put("newest_event_timestamp", f.newest().toString());
                fresh.put("freshness_seconds", Duration.between(f.newest(), now).toMillis() / 1000.0);
            }
            fresh.put("rows_written", f == null ? 0 : f.written());
            fresh.put("stale_rows_skipped", f == null ? 0 : f.stale());
        }
        ArrayNode onDemand = out.putArray("on_demand_feature_views");
        for (FeatureRegistry.OnDemandView v : registry.onDemandViews().values()) {
            ObjectNode view = onDemand.addObject();
            view.put("name", v.name());
            v.sources().forEach(view.withArray("sources")::add);
            v.request().forEach(r -> view.withArray("request").addObject().put("name", r.name()).put("dtype", r.type().feastName()));
            v.features().forEach(f -> view.withArray("features").addObject().put("name", f.name())
                    .put("dtype", f.type().feastName()).put("expression", f.expression()));
        }
        return out;
    }

    /** Seconds since the view's newest written event, or NaN before any (the gauge's value). */
    double freshnessSeconds(String view) {
        if (clock.millis() - snapshotAt > 1000) {
            try {
                snapshot = reader.freshness();
            } catch (RuntimeException redisDown) {
                return Double.NaN;
            }
            snapshotAt = clock.millis();
        }
        FeatureFreshness.View f = snapshot.get(view);
        return f == null || f.newest() == null ? Double.NaN : (clock.millis() - f.newest().toEpochMilli()) / 1000.0;
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
