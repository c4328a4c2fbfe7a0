package io.streamlake.features.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.json.Json;
import io.streamlake.common.time.UtcTimestamps;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feature rows as JSON, checked against the registry:
 * <pre>
 * {"feature_view": "customer_activity", "entity": {"customer_id": "C42"},
 *  "event_timestamp": "2026-11-23T20:08:00.123Z", "features": {"bet_count_5m": 3, "ggr_5m": -12.5}}
 * </pre>
 * The view must be declared; {@code entity} must hold exactly the view's join keys with values of the entities'
 * types; every feature must be declared and its JSON value fit its type (Int64/Int32: integers, Float64/Float32:
 * numbers, String, Bool, Bytes as base64, UnixTimestamp as epoch seconds); JSON null is Feast's null. Features the
 * row leaves out are not written (their previous values stay).
 */
public final class FeatureRowJson {

    private final FeatureRegistry registry;

    public FeatureRowJson(FeatureRegistry registry) {
        this.registry = registry;
    }

    public FeatureRow read(byte[] json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException(RejectionReason.MALFORMED_JSON, null, "not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof ObjectNode row)) {
            throw new InvalidEventException(RejectionReason.NOT_AN_OBJECT, null, "a feature row must be a JSON object");
        }
        String viewName = text(row, "feature_view");
        FeatureRegistry.FeatureView view = registry.featureView(viewName).orElseThrow(() -> new InvalidEventException(
                RejectionReason.UNKNOWN_FEATURE_VIEW, "feature_view", "feature view '" + viewName + "' is not declared"
                + " in project " + registry.project()));

        JsonNode entity = row.get("entity");
        if (!(entity instanceof ObjectNode entityObject)) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, "entity", "entity must be an object of join keys");
        }
        Map<String, FeastValue> joinKeys = new LinkedHashMap<>();
        for (FeatureRegistry.Entity e : registry.entitiesOf(view)) {
            JsonNode value = entityObject.get(e.joinKey());
            if (value == null || value.isNull()) {
                throw new InvalidEventException(RejectionReason.MISSING_FIELD, "entity." + e.joinKey(),
                        "join key " + e.joinKey() + " is required for feature view " + viewName);
            }
            joinKeys.put(e.joinKey(), value(value, e.valueType(), "entity." + e.joinKey()));
        }
        if (entityObject.size() != joinKeys.size()) {
            throw new InvalidEventException(RejectionReason.UNKNOWN_FEATURE, "entity", "entity has keys other than "
                    + joinKeys.keySet() + " for feature view " + viewName);
        }

        Instant eventTimestamp = timestamp(row.get("event_timestamp"));
        JsonNode features = row.get("features");
        if (!(features instanceof ObjectNode featureObject)) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, "features", "features must be an object");
        }
        Map<String, FeastValue> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = featureObject.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            FeatureRegistry.Feature feature = view.feature(f.getKey()).orElseThrow(() -> new InvalidEventException(
                    RejectionReason.UNKNOWN_FEATURE, "features." + f.getKey(), "feature '" + f.getKey()
                    + "' is not declared in feature view " + viewName));
            values.put(feature.name(), f.getValue().isNull() ? FeastValue.ofNull()
                    : value(f.getValue(), feature.type(), "features." + f.getKey()));
        }
        return new FeatureRow(viewName, new EntityKey(joinKeys), eventTimestamp, values);
    }

    private static FeastValue value(JsonNode node, FeatureType type, String field) {
        return switch (type) {
            case STRING -> {
                require(node.isTextual(), field, "a string", node);
                yield FeastValue.ofString(node.textValue());
            }
            case INT64 -> {
                require(node.isIntegralNumber() && node.canConvertToLong(), field, "an integer", node);
                yield FeastValue.ofInt64(node.longValue());
            }
            case INT32 -> {
                require(node.isIntegralNumber() && node.canConvertToInt(), field, "a 32-bit integer", node);
                yield FeastValue.ofInt32(node.intValue());
            }
            case FLOAT64 -> {
                require(node.isNumber(), field, "a number", node);
                yield FeastValue.ofDouble(node.doubleValue());
            }
            case FLOAT32 -> {
                require(node.isNumber(), field, "a number", node);
                yield FeastValue.ofFloat(node.floatValue());
            }
            case BOOL -> {
                require(node.isBoolean(), field, "true or false", node);
                yield FeastValue.ofBool(node.booleanValue());
            }
            case BYTES -> {
                require(node.isTextual(), field, "base64 text", node);
                try {
                    yield FeastValue.ofBytes(java.util.Base64.getDecoder().decode(node.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidEventException(RejectionReason.WRONG_TYPE, field, field + " is not base64", e);
                }
            }
            case UNIX_TIMESTAMP -> {
                require(node.isIntegralNumber() && node.canConvertToLong(), field, "epoch seconds", node);
                yield FeastValue.ofUnixTimestamp(node.longValue());
            }
        };
    }

    private static void require(boolean ok, String field, String expected, JsonNode node) {
        if (!ok) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, field, field + " must be " + expected + ", got "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String text(ObjectNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, field, field + " is required");
        }
        if (!node.isTextual()) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, field, field + " must be a string");
        }
        return node.textValue();
    }

    private static Instant timestamp(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, "event_timestamp", "event_timestamp is required");
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, "event_timestamp",
                    "event_timestamp must be ISO-8601 with an offset or epoch milliseconds", e);
        }
    }

    /**
     * Writes a row in the JSON form {@link #read} accepts, from plain values: for producers that hold no typed row,
     * and for tests.
     */
    public static byte[] write(String featureView, Map<String, Object> entity, Instant eventTimestamp,
                               Map<String, Object> features) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + 24 * features.size());
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.mapper().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("feature_view", featureView);
            g.writeFieldName("entity");
            writeMap(g, entity);
            g.writeStringField("event_timestamp", timestampText(eventTimestamp));
            g.writeFieldName("features");
            writeMap(g, features);
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a row as {@link #read} accepts it, straight from its typed values: the aggregator's form, one row per
     * entity and poll, so no intermediate maps.
     */
    public static byte[] write(FeatureRow row) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + 24 * row.values().size());
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.mapper().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("feature_view", row.featureView());
            g.writeFieldName("entity");
            writeValues(g, row.entityKey().joinKeys());
            g.writeStringField("event_timestamp", timestampText(row.eventTimestamp()));
            g.writeFieldName("features");
            writeValues(g, row.values());
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeValues(com.fasterxml.jackson.core.JsonGenerator g, Map<String, FeastValue> values)
            throws java.io.IOException {
        g.writeStartObject();
        for (Map.Entry<String, FeastValue> e : values.entrySet()) {
            g.writeFieldName(e.getKey());
            FeastValue v = e.getValue();
            switch (v.type()) {
                case NULL -> g.writeNull();
                case STRING -> g.writeString((String) v.value());
                case INT64, UNIX_TIMESTAMP -> g.writeNumber((Long) v.value());
                case INT32 -> g.writeNumber((Integer) v.value());
                case DOUBLE -> g.writeNumber((Double) v.value());
                case FLOAT -> g.writeNumber((Float) v.value());
                case BOOL -> g.writeBoolean((Boolean) v.value());
                case BYTES -> g.writeString(java.util.Base64.getEncoder().encodeToString((byte[]) v.value()));
            }
        }
        g.writeEndObject();
    }

    /** Millisecond timestamps (events' precision) by the fast fixed-width writer; finer ones in full. */
    private static String timestampText(Instant t) {
        return UtcTimestamps.exact(t);
    }

    /** The common value types written directly; anything else through the mapper, as before. */
    private static void writeMap(com.fasterxml.jackson.core.JsonGenerator g, Map<String, Object> map) throws java.io.IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            g.writeFieldName(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String str) {
                g.writeString(str);
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v instanceof Integer n) {
                g.writeNumber(n);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                g.writeObject(v);
            }
        }
        g.writeEndObject();
    }
}
