package io.streamlake.features.row;

import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;

import java.time.Instant;
import java.util.Map;

/**
 * The values of one feature view for one entity at one event time, typed as the registry declares them: what
 * feature-aggregator and feature-materialization produce and redis-features writes. JSON form:
 * {@link FeatureRowJson}.
 */
public record FeatureRow(String featureView, EntityKey entityKey, Instant eventTimestamp, Map<String, FeastValue> values) {
}
