package io.streamlake.features.offline;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.common.sql.SqlLiteral;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureType;
import io.streamlake.features.row.FeatureRow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL over a feature view's offline source (a batch view's, or a stream view's offline equivalent), in the view's store's dialect (ClickHouse, or the PostgreSQL
 * warehouse). The view's query returns a time series (join key, {@code event_timestamp}, one column per feature) and may
 * use {@code {start}} and {@code {end}}; this class wraps it for the reads Feast defines: the latest row per entity
 * within a time range (materialization) and the latest rows of given entities (the consistency check). Training sets
 * (latest row at or before each example's time, by ASOF JOIN) read ClickHouse views.
 */
public final class OfflineViewQuery {

    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final FeatureRegistry.FeatureView view;
    private final FeatureRegistry.Entity entity;
    private final boolean postgres;

    public OfflineViewQuery(FeatureRegistry registry, FeatureRegistry.FeatureView view) {
        if (!view.source().offline()) {
            throw new IllegalArgumentException("feature view '" + view.name() + "' is filled from a stream and has no"
                    + " offline source");
        }
        List<FeatureRegistry.Entity> entities = registry.entitiesOf(view);
        if (entities.size() != 1) {
            throw new IllegalArgumentException("feature view '" + view.name() + "' has " + entities.size()
                    + " entities; batch views with one entity are supported");
        }
        this.view = view;
        this.entity = entities.get(0);
        this.postgres = "postgres".equals(view.source().store());
    }

    /** The store the view's query runs on: clickhouse or postgres. */
    public String store() {
        return view.source().store();
    }

    public FeatureRegistry.FeatureView view() {
        return view;
    }

    public String joinKey() {
        return entity.joinKey();
    }

    /** A timestamp as a ClickHouse DateTime64(3, 'UTC') literal. */
    public static String timestamp(Instant at) {
        return "toDateTime64('" + LITERAL.format(at) + "', 3, 'UTC')";
    }

    private String literal(Instant at) {
        return postgres ? "TIMESTAMPTZ '" + LITERAL.format(at) + "+00'" : timestamp(at);
    }

    /** The view's own query with its placeholders filled. */
    public String source(Instant start, Instant end) {
        return view.source().query().replace("{start}", literal(start)).replace("{end}", literal(end));
    }

    private String key() {
        SqlIdentifier key = SqlIdentifier.of("join key", entity.joinKey());
        return postgres ? key.postgres() : key.clickHouse();
    }

    private String from(Instant start, Instant end) {
        return " FROM (" + source(start, end) + ") src";
    }

    /** How many entities have a row in [start, end). */
    public String countEntities(Instant start, Instant end) {
        return "SELECT " + (postgres ? "count(DISTINCT " + key() + ")" : "uniqExact(" + key() + ")") + from(start, end)
                + " WHERE " + inRange(start, end);
    }

    /** Up to {@code n} entities with a row before {@code end}, a deterministic sample (by a hash of the key). */
    public String sampleKeys(Instant end, int n) {
        return "SELECT " + key() + " FROM (SELECT DISTINCT " + key() + from(Instant.EPOCH, end) + " WHERE event_timestamp < "
                + literal(end) + ") keys ORDER BY " + (postgres ? "md5(" + key() + "::text)" : "cityHash64(" + key() + ")")
                + " LIMIT " + n;
    }

    /** Each entity's latest row of the source run for [start, end) that matches {@code where}, in key order. */
    private String latest(Instant start, Instant end, String where, String limit) {
        if (postgres) {
            return "SELECT DISTINCT ON (" + key() + ") " + key() + ", event_timestamp, " + featureColumns() + from(start, end)
                    + where + " ORDER BY " + key() + ", event_timestamp DESC" + limit;
        }
        return "SELECT " + key() + ", event_timestamp, " + featureColumns() + from(start, end) + where
                + " ORDER BY " + key() + ", event_timestamp DESC LIMIT 1 BY " + key() + limit;
    }

    /**
     * The latest row in [start, end) of each entity whose key sorts after {@code afterKey} (null: from the first), at most
     * {@code limit} entities ({@code Integer.MAX_VALUE}: all), in key order: what a restartable run walks through.
     */
    public String latestPage(Instant start, Instant end, String afterKey, int limit) {
        String after = afterKey == null ? "" : " AND " + key() + " > " + keyLiteral(afterKey);
        return latest(start, end, " WHERE " + inRange(start, end) + after, limit == Integer.MAX_VALUE ? "" : " LIMIT " + limit);
    }

    /** The latest row of each of these entities before {@code end} (for the online/offline consistency check). */
    public String latestOf(List<String> keys, Instant end) {
        return latest(Instant.EPOCH, end, " WHERE " + key() + " IN (" + String.join(", ", keys.stream().map(this::keyLiteral).toList())
                + ") AND event_timestamp < " + literal(end), "");
    }

    public String featureColumns() {
        return String.join(", ", view.features().stream().map(f -> postgres ? SqlIdentifier.of("feature", f.name()).postgres()
                : SqlIdentifier.of("feature", f.name()).clickHouse()).toList());
    }

    private String inRange(Instant start, Instant end) {
        return "event_timestamp >= " + literal(start) + " AND event_timestamp < " + literal(end);
    }

    private String keyLiteral(String key) {
        if (entity.valueType() == FeatureType.INT64 || entity.valueType() == FeatureType.INT32) {
            return Long.toString(Long.parseLong(key));
        }
        return postgres ? SqlLiteral.postgres(key) : SqlLiteral.clickHouse(key);
    }

    /** A JDBC timestamp with its milliseconds (a value without zone is UTC, as ClickHouse's DateTime64(3, 'UTC')). */
    public static Instant instant(Object ts) {
        if (ts instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        } else if (ts instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        } else if (ts instanceof java.sql.Timestamp t) {
            return t.toInstant();
        } else if (ts instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return Instant.ofEpochSecond(FeatureType.epochSeconds(ts));
    }

    /** A row of {@link #latestPage} or {@link #latestOf} as a feature row, typed as the registry declares. */
    public FeatureRow row(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        FeastValue keyValue = entity.valueType() == FeatureType.INT64 ? FeastValue.ofInt64(Long.parseLong(key))
                : entity.valueType() == FeatureType.INT32 ? FeastValue.ofInt32(Integer.parseInt(key)) : FeastValue.ofString(key);
        Instant at = instant(rs.getObject(2));
        Map<String, FeastValue> values = new LinkedHashMap<>();
        int column = 3;
        for (FeatureRegistry.Feature f : view.features()) {
            values.put(f.name(), f.type().fromJdbc(rs.getObject(column++)));
        }
        return new FeatureRow(view.name(), EntityKey.of(entity.joinKey(), keyValue), at, values);
    }
}
