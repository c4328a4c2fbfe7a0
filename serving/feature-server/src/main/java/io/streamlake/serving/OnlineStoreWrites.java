package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureType;
import io.streamlake.features.row.FeatureRow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's write endpoints over the online store; no Spring in here. {@code POST /push} writes rows to the feature views
 * fed by a push source ({@code source: {push: name}}); {@code POST /write-to-online-store} writes rows to any feature
 * view. Both take Feast's column-wise {@code df}: the view's join keys, {@code event_timestamp} (ISO-8601, or
 * {@code yyyy-MM-dd HH:mm:ss[.SSS]} in UTC as pandas writes it, or epoch seconds) and any of the view's features
 * (Feast's {@code created} column is accepted and ignored). Every value is checked against the registry's types before
 * anything is written (a bad one is a 400 naming the column and row); rows older than what the store holds for their
 * entity are skipped, the same stale-row rule as the redis-features sink.
 */
final class OnlineStoreWrites {

    private static final DateTimeFormatter PANDAS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");

    private final FeatureRegistry registry;
    private final FeastRedisWriter writer;
    private final int maxRows;

    OnlineStoreWrites(FeatureRegistry registry, FeastRedisWriter writer, int maxRows) {
        this.registry = registry;
        this.writer = writer;
        this.maxRows = maxRows;
    }

    /** Feast's {@code /push}: {@code {"push_source_name": ..., "df": {...}, "to": "online"}}. */
    JsonNode push(JsonNode body) {
        requireObject(body, "'push_source_name' and 'df'");
        String source = text(body, "push_source_name");
        String to = body.path("to").asText("online");
        if (!to.equals("online")) {
            throw new OnlineFeaturesHandler.RequestException(400, "'to' is '" + to + "': this server writes the online"
                    + " store only (the offline stores, ClickHouse and PostgreSQL, are fed by the stream sinks)");
        }
        List<FeatureRegistry.FeatureView> views = registry.featureViews().values().stream()
                .filter(v -> v.source().kind() == FeatureRegistry.Source.Kind.PUSH && v.source().push().equals(source))
                .toList();
        if (views.isEmpty()) {
            throw new OnlineFeaturesHandler.RequestException(404, "no feature view is fed by push source '" + source + "'");
        }
        List<FeatureRow> rows = new ArrayList<>();
        for (FeatureRegistry.FeatureView view : views) {
            rows.addAll(rows(view, body.get("df")));
        }
        return written(views, rows);
    }

    /** Feast's {@code /write-to-online-store}: {@code {"feature_view_name": ..., "df": {...}}}. */
    JsonNode writeToOnlineStore(JsonNode body) {
        requireObject(body, "'feature_view_name' and 'df'");
        String name = text(body, "feature_view_name");
        FeatureRegistry.FeatureView view = registry.featureView(name).orElseThrow(() ->
                new OnlineFeaturesHandler.RequestException(404, "unknown feature view '" + name + "'"));
        return written(List.of(view), rows(view, body.get("df")));
    }

    private JsonNode written(List<FeatureRegistry.FeatureView> views, List<FeatureRow> rows) {
        FeastRedisWriter.Result result = writer.write(rows);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        views.forEach(v -> out.withArray("feature_views").add(v.name()));
        out.put("rows", rows.size());
        out.put("written", result.written());
        out.put("stale_skipped", result.skippedAsStale());
        return out;
    }

    /** The df's rows as feature rows of {@code view}, every value checked first. */
    List<FeatureRow> rows(FeatureRegistry.FeatureView view, JsonNode df) {
        if (df == null || !df.isObject() || df.isEmpty()) {
            throw new OnlineFeaturesHandler.RequestException(400, "'df' must map column names to lists of values");
        }
        List<FeatureRegistry.Entity> entities = registry.entitiesOf(view);
        int n = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = df.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isArray()) {
                throw new OnlineFeaturesHandler.RequestException(400, "df column '" + column.getKey() + "' must be a list");
            }
            if (n >= 0 && column.getValue().size() != n) {
                throw new OnlineFeaturesHandler.RequestException(400, "df columns must all have the same length");
            }
            n = column.getValue().size();
            String name = column.getKey();
            boolean known = name.equals("event_timestamp") || name.equals("created") || view.feature(name).isPresent()
                    || entities.stream().anyMatch(e -> e.joinKey().equals(name));
            if (!known) {
                throw new OnlineFeaturesHandler.RequestException(400, "df column '" + name + "' is neither a join key of "
                        + view.name() + ", event_timestamp, nor one of its features " + view.features().stream()
                        .map(FeatureRegistry.Feature::name).toList());
            }
        }
        if (n == 0) {
            throw new OnlineFeaturesHandler.RequestException(400, "'df' has no rows");
        }
        if (n > maxRows) {
            throw new OnlineFeaturesHandler.RequestException(413, n + " rows; at most " + maxRows + " per request");
        }
        for (FeatureRegistry.Entity e : entities) {
            if (!df.has(e.joinKey())) {
                throw new OnlineFeaturesHandler.RequestException(400, "df needs the join key column '" + e.joinKey() + "'");
            }
        }
        if (!df.has("event_timestamp")) {
            throw new OnlineFeaturesHandler.RequestException(400, "df needs an 'event_timestamp' column");
        }
        List<FeatureRegistry.Feature> features = view.features().stream().filter(f -> df.has(f.name())).toList();
        if (features.isEmpty()) {
            throw new OnlineFeaturesHandler.RequestException(400, "df has none of " + view.name() + "'s features");
        }
        List<FeatureRow> rows = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            Map<String, FeastValue> key = new LinkedHashMap<>();
            for (FeatureRegistry.Entity e : entities) {
                key.put(e.joinKey(), entityValue(e, df.get(e.joinKey()).get(row), row));
            }
            Map<String, FeastValue> values = new LinkedHashMap<>();
            for (FeatureRegistry.Feature f : features) {
                values.put(f.name(), featureValue(f, df.get(f.name()).get(row), row));
            }
            rows.add(new FeatureRow(view.name(), new EntityKey(key), timestamp(df.get("event_timestamp").get(row), row), values));
        }
        return rows;
    }

    private static FeastValue entityValue(FeatureRegistry.Entity e, JsonNode v, int row) {
        if (e.valueType() == FeatureType.STRING && v.isTextual()) {
            return FeastValue.ofString(v.textValue());
        }
        if ((e.valueType() == FeatureType.INT64 || e.valueType() == FeatureType.INT32) && v.isIntegralNumber()
                && v.canConvertToLong()) {
            return e.valueType() == FeatureType.INT64 ? FeastValue.ofInt64(v.longValue()) : FeastValue.ofInt32(v.intValue());
        }
        throw bad(e.joinKey(), row, v, e.valueType());
    }

    private static FeastValue featureValue(FeatureRegistry.Feature f, JsonNode v, int row) {
        if (v == null || v.isNull()) {
            return FeastValue.ofNull();
        }
        switch (f.type()) {
            case INT64:
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return FeastValue.ofInt64(v.longValue());
                }
                break;
            case INT32:
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    return FeastValue.ofInt32(v.intValue());
                }
                break;
            case FLOAT64:
                if (v.isNumber()) {
                    return FeastValue.ofDouble(v.doubleValue());
                }
                break;
            case FLOAT32:
                if (v.isNumber()) {
                    return FeastValue.ofFloat(v.floatValue());
                }
                break;
            case STRING:
                if (v.isTextual()) {
                    return FeastValue.ofString(v.textValue());
                }
                break;
            case BOOL:
                if (v.isBoolean()) {
                    return FeastValue.ofBool(v.booleanValue());
                }
                break;
            case UNIX_TIMESTAMP:
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return FeastValue.ofUnixTimestamp(v.longValue());
                }
                break;
            case BYTES:
                if (v.isTextual()) {
                    try {
                        return FeastValue.ofBytes(Base64.getDecoder().decode(v.textValue()));
                    } catch (IllegalArgumentException notBase64) {
                        break;
                    }
                }
                break;
            default:
                break;
        }
        throw bad(f.name(), row, v, f.type());
    }

    private static Instant timestamp(JsonNode v, int row) {
        if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
            return Instant.ofEpochSecond(v.longValue());
        }
        if (v != null && v.isTextual()) {
            String text = v.textValue().strip();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notIso) {
                try {
                    return java.time.OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException notOffset) {
                    try {
                        return LocalDateTime.parse(text, PANDAS).toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException notPandas) {
                        // refused below
                    }
                }
            }
        }
        throw new OnlineFeaturesHandler.RequestException(400, "df column 'event_timestamp', row " + row + ": " + v
                + " is not a timestamp (ISO-8601, 'yyyy-MM-dd HH:mm:ss' in UTC, or epoch seconds)");
    }

    private static OnlineFeaturesHandler.RequestException bad(String column, int row, JsonNode v, FeatureType type) {
        return new OnlineFeaturesHandler.RequestException(400, "df column '" + column + "', row " + row + ": " + v
                + " is not a " + type.feastName());
    }

    private static void requireObject(JsonNode body, String what) {
        if (body == null || !body.isObject()) {
            throw new OnlineFeaturesHandler.RequestException(400, "the request must be a JSON object with " + what);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new OnlineFeaturesHandler.RequestException(400, "'" + field + "' must be a non-empty string");
        }
        return v.textValue();
    }
}
