package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureType;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's feature-server request and response, over {@link OnlineFeatureReader}; no Spring in here.
 * <pre>
 * request:  {"features": ["customer_activity:bet_count_5m", ...], "entities": {"customer_id": ["C1", "C2"]},
 *            "full_feature_names": false}         (or "feature_service": "fraud_detection" instead of "features")
 * response: {"metadata": {"feature_names": ["customer_id", "bet_count_5m", ...]},
 *            "results": [{"values": [...], "statuses": [...], "event_timestamps": [...]}, ...]}
 * </pre>
 * One result column per entity column (PRESENT, timestamp 1970-01-01T00:00:00Z) then per feature, rows in request
 * order. With {@code full_feature_names} features are named {@code view__feature}.
 * <p>Features of on-demand views ({@code bet_vs_average:bet_to_avg_1h}) are requested like any other; the request data
 * they need travels as further columns of {@code entities}, as in Feast, and is echoed like the entity columns. Their
 * status is PRESENT with a value, NOT_FOUND when the expression gives null (e.g. a source feature never written); their
 * timestamp is the newest of the source rows read.
 */
public final class OnlineFeaturesHandler {

    /** A request the server refuses, with the HTTP status to answer. */
    public static final class RequestException extends RuntimeException {
        private final int status;

        public RequestException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private final FeatureRegistry registry;
    private final OnlineFeatureReader reader;
    private final OnDemandFeatures onDemand;
    private final int maxEntities;
    private final int maxFeatures;

    public OnlineFeaturesHandler(FeatureRegistry registry, OnlineFeatureReader reader, int maxEntities, int maxFeatures) {
        this.registry = registry;
        this.reader = reader;
        this.onDemand = new OnDemandFeatures(registry);
        this.maxEntities = maxEntities;
        this.maxFeatures = maxFeatures;
    }

    public JsonNode handle(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new RequestException(400, "the request must be a JSON object with 'features' and 'entities'");
        }
        List<OnlineFeatureReader.FeatureRef> refs = request.hasNonNull("feature_service")
                ? featureService(request.get("feature_service")) : features(request.get("features"));
        boolean fullNames = request.path("full_feature_names").asBoolean(false);
        // On-demand features are computed from request data and the stored features of their sources.
        Map<String, OnDemandFeatures.View> onDemandViews = new LinkedHashMap<>();
        Map<String, FeatureRegistry.RequestField> requestFields = new LinkedHashMap<>();
        java.util.Set<OnlineFeatureReader.FeatureRef> toRead = new java.util.LinkedHashSet<>();
        for (OnlineFeatureReader.FeatureRef ref : refs) {
            if (onDemand.isOnDemand(ref.featureView())) {
                OnDemandFeatures.View view = onDemand.view(ref.featureView());
                if (view.declared().feature(ref.feature()).isEmpty()) {
                    throw new RequestException(400, "on-demand feature view '" + ref.featureView() + "' has no feature '"
                            + ref.feature() + "'");
                }
                onDemandViews.put(view.declared().name(), view);
                view.declared().request().forEach(r -> requestFields.put(r.name(), r));
                toRead.addAll(view.sources());
            } else {
                toRead.add(ref);
            }
        }
        Map<String, JsonNode> columnsGiven = columns(request.get("entities"));
        Map<String, List<FeastValue>> entities = new LinkedHashMap<>();
        Map<String, List<Object>> requestData = new LinkedHashMap<>();
        int rows = -1;
        for (Map.Entry<String, JsonNode> e : columnsGiven.entrySet()) {
            if (rows >= 0 && e.getValue().size() != rows) {
                throw new RequestException(400, "entity columns must all have the same length");
            }
            rows = e.getValue().size();
            FeatureRegistry.RequestField field = requestFields.get(e.getKey());
            if (field != null) {
                requestData.put(e.getKey(), OnDemandFeatures.requestColumn(field, e.getValue()));
            } else {
                entities.put(e.getKey(), entityColumn(e.getKey(), e.getValue()));
            }
        }
        for (String field : requestFields.keySet()) {
            if (!requestData.containsKey(field)) {
                throw new RequestException(400, "the on-demand features requested need request data '" + field
                        + "' (a column next to the entity keys)");
            }
        }
        List<OnlineFeatureReader.FeatureRef> reads = new ArrayList<>(toRead);
        Map<OnlineFeatureReader.FeatureRef, List<OnlineFeatureReader.FeatureValue>> read = new LinkedHashMap<>();
        if (!reads.isEmpty()) {
            try {
                reader.validate(reads, entities);
            } catch (IllegalArgumentException e) {
                throw new RequestException(400, e.getMessage());
            }
            List<List<OnlineFeatureReader.FeatureValue>> columns = reader.read(reads, entities);
            for (int i = 0; i < reads.size(); i++) {
                read.put(reads.get(i), columns.get(i));
            }
        }

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode response = json.objectNode();
        ArrayNode names = response.putObject("metadata").putArray("feature_names");
        ArrayNode results = response.putArray("results");
        for (Map.Entry<String, JsonNode> e : columnsGiven.entrySet()) {
            names.add(e.getKey());
            ObjectNode column = results.addObject();
            ArrayNode values = column.putArray("values");
            ArrayNode statuses = column.putArray("statuses");
            ArrayNode timestamps = column.putArray("event_timestamps");
            List<FeastValue> typed = entities.get(e.getKey());
            for (int row = 0; row < e.getValue().size(); row++) {
                values.add(typed != null ? toJson(typed.get(row)) : e.getValue().get(row));
                statuses.add("PRESENT");
                timestamps.add(EPOCH);
            }
        }
        for (OnlineFeatureReader.FeatureRef ref : refs) {
            List<OnlineFeatureReader.FeatureValue> values;
            OnDemandFeatures.View view = onDemandViews.get(ref.featureView());
            if (view != null) {
                List<List<Object>> requestValues = view.declared().request().stream().map(r -> requestData.get(r.name())).toList();
                List<List<OnlineFeatureReader.FeatureValue>> stored = view.sources().stream().map(read::get).toList();
                values = OnDemandFeatures.compute(view, ref.feature(), requestValues, stored, rows);
            } else {
                values = read.get(ref);
            }
            names.add(fullNames ? ref.featureView() + "__" + ref.feature() : ref.feature());
            ObjectNode column = results.addObject();
            ArrayNode valueColumn = column.putArray("values");
            ArrayNode statuses = column.putArray("statuses");
            ArrayNode timestamps = column.putArray("event_timestamps");
            for (OnlineFeatureReader.FeatureValue v : values) {
                valueColumn.add(v.value() == null ? json.nullNode() : toJson(v.value()));
                statuses.add(v.status().name());
                timestamps.add(v.eventTimestamp() == null ? EPOCH : v.eventTimestamp().toString());
            }
        }
        return response;
    }

    private List<OnlineFeatureReader.FeatureRef> featureService(JsonNode node) {
        String name = node.asText();
        List<String> refs = registry.featureService(name).orElseThrow(() ->
                new RequestException(400, "unknown feature service '" + name + "'"));
        return refs.stream().map(OnlineFeatureReader.FeatureRef::parse).toList();
    }

    private List<OnlineFeatureReader.FeatureRef> features(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new RequestException(400, "'features' must be a non-empty list of \"feature_view:feature\"");
        }
        if (node.size() > maxFeatures) {
            throw new RequestException(413, node.size() + " features requested; at most " + maxFeatures + " per request");
        }
        List<OnlineFeatureReader.FeatureRef> refs = new ArrayList<>(node.size());
        for (JsonNode f : node) {
            if (!f.isTextual()) {
                throw new RequestException(400, "feature references must be strings \"feature_view:feature\"");
            }
            try {
                refs.add(OnlineFeatureReader.FeatureRef.parse(f.textValue())); // views are checked when read
            } catch (IllegalArgumentException e) {
                throw new RequestException(400, e.getMessage());
            }
        }
        return refs;
    }

    /** The request's entity (and request data) columns, checked for shape and size. */
    private Map<String, JsonNode> columns(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new RequestException(400, "'entities' must map join keys to lists of values, e.g. {\"customer_id\": [\"C1\"]}");
        }
        Map<String, JsonNode> columns = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new RequestException(400, "entity column '" + e.getKey() + "' must be a non-empty list");
            }
            if (e.getValue().size() > maxEntities) {
                throw new RequestException(413, e.getValue().size() + " entities requested; at most " + maxEntities + " per request");
            }
            columns.put(e.getKey(), e.getValue());
        }
        return columns;
    }

    private List<FeastValue> entityColumn(String joinKey, JsonNode column) {
        FeatureType type = registry.entities().values().stream().filter(en -> en.joinKey().equals(joinKey))
                .map(FeatureRegistry.Entity::valueType).findFirst()
                .orElseThrow(() -> new RequestException(400, "'" + joinKey + "' is not the join key of any entity, nor"
                        + " request data of the on-demand features requested"));
        List<FeastValue> values = new ArrayList<>(column.size());
        for (JsonNode v : column) {
            values.add(entityValue(joinKey, type, v));
        }
        return values;
    }

    private static FeastValue entityValue(String joinKey, FeatureType type, JsonNode v) {
        return switch (type) {
            case STRING -> {
                if (!v.isTextual()) {
                    throw new RequestException(400, "entity '" + joinKey + "' takes strings, got " + v);
                }
                yield FeastValue.ofString(v.textValue());
            }
            case INT64 -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw new RequestException(400, "entity '" + joinKey + "' takes integers, got " + v);
                }
                yield FeastValue.ofInt64(v.longValue());
            }
            case INT32 -> {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw new RequestException(400, "entity '" + joinKey + "' takes 32-bit integers, got " + v);
                }
                yield FeastValue.ofInt32(v.intValue());
            }
            default -> throw new RequestException(400, "entity '" + joinKey + "' has an unsupported type " + type.feastName());
        };
    }

    private static JsonNode toJson(FeastValue v) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Object value = v.value();
        return switch (v.type()) {
            case STRING -> json.textNode((String) value);
            case INT64, UNIX_TIMESTAMP -> json.numberNode((Long) value);
            case INT32 -> json.numberNode((Integer) value);
            case DOUBLE -> json.numberNode((Double) value);
            case FLOAT -> json.numberNode((Float) value);
            case BOOL -> json.booleanNode((Boolean) value);
            case BYTES -> json.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case NULL -> json.nullNode();
        };
    }
}
