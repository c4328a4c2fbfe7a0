package io.streamlake.features.offline;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The point-in-time join of an entity table with feature views, in ClickHouse: for each view an ASOF LEFT JOIN on the
 * join key and {@code entity time >= feature time} picks the latest feature row at or before each entity row; a value
 * older than the view's TTL is NULL, as are entities without any earlier row. Nothing after an entity row's time can
 * reach it. Spring-free. The entity table has the join keys as text, {@code __ts} (the row's time, DateTime64) and
 * {@code __row} (the order of the result). Used by historical-features (an entity file) and fraud-model-training
 * (labelled events).
 */
public final class TrainingSetQuery {

    private final FeatureRegistry registry;
    private final Map<String, List<String>> featuresByView = new LinkedHashMap<>();

    public TrainingSetQuery(FeatureRegistry registry, List<String> featureRefs) {
        this.registry = registry;
        for (String ref : featureRefs) {
            OnlineFeatureReader.FeatureRef r = OnlineFeatureReader.FeatureRef.parse(ref);
            FeatureRegistry.FeatureView view = registry.featureView(r.featureView()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown feature view '" + r.featureView() + "' in '" + ref + "' (views: " + registry.featureViews().keySet() + ")"));
            if (view.feature(r.feature()).isEmpty()) {
                throw new IllegalArgumentException("feature view '" + view.name() + "' has no feature '" + r.feature() + "'");
            }
            if (!view.source().offline()) {
                throw new IllegalArgumentException("feature view '" + view.name() + "' has no offline source (it is filled"
                        + " from a stream and declares no store and query); training sets read offline sources");
            }
            if (!"clickhouse".equals(view.source().store())) {
                throw new IllegalArgumentException("feature view '" + view.name() + "' reads " + view.source().store()
                        + "; training sets are joined in ClickHouse (ASOF JOIN), from ClickHouse views");
            }
            featuresByView.computeIfAbsent(view.name(), k -> new ArrayList<>()).add(r.feature());
        }
        if (featuresByView.isEmpty()) {
            throw new IllegalArgumentException("no features requested");
        }
    }

    /** The join keys the entity table must have. */
    public List<String> joinKeys() {
        List<String> keys = new ArrayList<>();
        for (String view : featuresByView.keySet()) {
            for (FeatureRegistry.Entity e : registry.entitiesOf(registry.featureView(view).orElseThrow())) {
                if (!keys.contains(e.joinKey())) {
                    keys.add(e.joinKey());
                }
            }
        }
        return keys;
    }

    /**
     * The training set's SELECT: the entity table's columns in file order, then one column per feature, rows in file
     * order. {@code until} bounds the sources' {@code {end}} (the latest entity time, plus one millisecond).
     */
    public String select(String entityTable, List<String> entityColumns, Instant until) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> columns = new ArrayList<>();
        for (String c : entityColumns) {
            columns.add("e." + ident(c) + " AS " + ident(c)); // named as in the entity table, not e.<key> as ClickHouse would
        }
        StringBuilder joins = new StringBuilder();
        int n = 0;
        List<String> allFeatures = featuresByView.values().stream().flatMap(List::stream).toList();
        for (Map.Entry<String, List<String>> entry : featuresByView.entrySet()) {
            FeatureRegistry.FeatureView view = registry.featureView(entry.getKey()).orElseThrow();
            OfflineViewQuery query = new OfflineViewQuery(registry, view);
            String alias = "v" + n++;
            String key = ident(query.joinKey());
            long ttlMillis = view.ttl().toMillis();
            for (String feature : entry.getValue()) {
                boolean ambiguous = allFeatures.stream().filter(feature::equals).count() > 1;
                String name = ambiguous ? view.name() + "__" + feature : feature;
                String value = alias + "." + ident(feature);
                columns.add((ttlMillis > 0 ? "if(dateDiff('millisecond', " + alias + ".feature_timestamp, e." + ident("__ts")
                        + ") <= " + ttlMillis + ", " + value + ", NULL)" : value) + " AS " + ident(name));
            }
            joins.append(" ASOF LEFT JOIN (SELECT toString(").append(key).append(") AS ").append(key)
                    .append(", event_timestamp AS feature_timestamp, ")
                    .append(String.join(", ", entry.getValue().stream().map(TrainingSetQuery::ident).toList()))
                    .append(" FROM (").append(query.source(Instant.EPOCH, until)).append(")) ").append(alias)
                    .append(" ON e.").append(key).append(" = ").append(alias).append('.').append(key)
                    .append(" AND e.").append(ident("__ts")).append(" >= ").append(alias).append(".feature_timestamp");
        }
        sql.append(String.join(", ", columns)).append(" FROM ").append(entityTable).append(" e").append(joins)
                .append(" ORDER BY e.").append(ident("__row")).append(" SETTINGS join_use_nulls = 1");
        return sql.toString();
    }

    public static String ident(String name) {
        return SqlIdentifier.of("column", name).clickHouse();
    }

    public static String checkedColumn(String name) {
        return SqlIdentifier.of("entity file column", name).name();
    }
}
