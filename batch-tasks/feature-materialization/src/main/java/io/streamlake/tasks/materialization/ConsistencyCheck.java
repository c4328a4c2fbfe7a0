package io.streamlake.tasks.materialization;

import io.lettuce.core.RedisURI;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.offline.OfflineViewQuery;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.row.FeatureRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The online/offline consistency check: samples entities of a view (a deterministic sample by key hash), recomputes
 * their latest values from the offline store as of the view's watermark, and compares them with what Redis serves.
 * Every compared value is recorded; mismatches (including an entity missing online) are reported like failed
 * expectations and make the task exit with 2.
 */
final class ConsistencyCheck {

    private static final Logger log = LoggerFactory.getLogger(ConsistencyCheck.class);

    private final FeatureRegistry registry;
    private final ViewMaterializer.OfflineStore offline;
    private final MaterializationState state;
    private final RedisURI redis;

    ConsistencyCheck(FeatureRegistry registry, ViewMaterializer.OfflineStore offline, MaterializationState state, RedisURI redis) {
        this.registry = registry;
        this.offline = offline;
        this.state = state;
        this.redis = redis;
    }

    /** Returns the number of mismatching values. */
    long check(OfflineViewQuery query, int sample, long runId) throws Exception {
        String view = query.view().name();
        Instant asOf = state.watermark(view);
        if (asOf == null) {
            throw new IllegalStateException("feature view '" + view + "' was never materialized; nothing to compare");
        }
        List<String> keys = new ArrayList<>();
        List<FeatureRow> expected = new ArrayList<>();
        try (Connection c = offline.open(query.store()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(query.sampleKeys(asOf, sample))) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            if (keys.isEmpty()) {
                return 0;
            }
            try (ResultSet rs = st.executeQuery(query.latestOf(keys, asOf))) {
                while (rs.next()) {
                    expected.add(query.row(rs));
                }
            }
        }
        List<OnlineFeatureReader.FeatureRef> refs = query.view().features().stream()
                .map(f -> new OnlineFeatureReader.FeatureRef(view, f.name())).toList();
        FeatureRegistry.Entity entity = registry.entitiesOf(query.view()).get(0);
        List<FeastValue> entityValues = expected.stream().map(r -> r.entityKey().joinKeys().get(entity.joinKey())).toList();
        List<List<OnlineFeatureReader.FeatureValue>> online;
        try (OnlineFeatureReader reader = new OnlineFeatureReader(registry, redis, Duration.ofSeconds(10), Clock.systemUTC())) {
            online = reader.read(refs, Map.of(entity.joinKey(), entityValues));
        }
        long mismatches = 0;
        for (int f = 0; f < refs.size(); f++) {
            String feature = refs.get(f).feature();
            for (int e = 0; e < expected.size(); e++) {
                FeastValue offlineValue = expected.get(e).values().get(feature);
                OnlineFeatureReader.FeatureValue onlineValue = online.get(f).get(e);
                boolean matched = onlineValue.status() != OnlineFeatureReader.Status.NOT_FOUND
                        && offlineValue.equals(onlineValue.value());
                String entityText = String.valueOf(entityValues.get(e).value());
                state.recordComparison(runId, view, entityText, feature,
                        onlineValue.value() == null ? null : String.valueOf(onlineValue.value().value()),
                        String.valueOf(offlineValue.value()), matched);
                if (!matched) {
                    mismatches++;
                    log.warn("Consistency: {}:{} of {} is {} online but {} offline (as of {})", view, feature, entityText,
                            onlineValue.value() == null ? onlineValue.status() : onlineValue.value().value(), offlineValue.value(), asOf);
                }
            }
        }
        log.info("Consistency of '{}': {} entities x {} features compared, {} mismatches", view, expected.size(), refs.size(),
                mismatches);
        return mismatches;
    }
}
