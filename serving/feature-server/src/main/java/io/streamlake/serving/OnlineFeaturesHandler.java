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
    private final int maxEntities;
    private final int maxFeatures;

    public OnlineFeaturesHandler(FeatureRegistry registry, OnlineFeatureReader reader, int maxEntities, int maxFeatures) {
        this.registry = registry;
        this.reader = reader;
        this.maxEntities = maxEntities;
        this.maxFeatures = maxFeatures;
    }

    public JsonNode handle(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new RequestException(400, "the request must be a JSON object with 'features' and 'entities'");
        }
        List<OnlineFeatureReader.FeatureRef> refs = request.hasNonNull("feature_service")
                ? featureService(request.get("feature_service")) : features(request.get("features"));
        Map<String, List<FeastValue>> entities = entities(request.get("entities"));
        boolean fullNames = request.path("full_feature_names").asBoolean(false);
        try {
            reader.validate(refs, entities);
        } catch (IllegalArgumentException e) {
            throw new RequestException(400, e.getMessage());
        }
        List<List<OnlineFeatureReader.FeatureValue>> columns = reader.read(refs, entities);

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode response = json.objectNode();
        ArrayNode names = response.putObject("metadata").putArray("feature_names");
        ArrayNode results = response.putArray("results");
        for (Map.Entry<String, List<FeastValue>> e : entities.entrySet()) {
            names.add(e.getKey());
            ObjectNode column = results.addObject();
            ArrayNode values = column.putArray("values");
            ArrayNode statuses = column.putArray("statuses");
            ArrayNode timestamps = column.putArray("event_timestamps");
            for (FeastValue v : e.getValue()) {
                values.add(toJson(v));
                statuses.add("PRESENT");
                timestamps.add(EPOCH);
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            OnlineFeatureReader.FeatureRef ref = refs.get(i);
            names.add(fullNames ? ref.featureView() + "__" + ref.feature() : ref.feature());
            ObjectNode column = results.addObject();
            ArrayNode values = column.putArray("values");
            ArrayNode statuses = column.putArray("statuses");
            ArrayNode timestamps = column.putArray("event_timestamps");
            for (OnlineFeatureReader.FeatureValue v : columns.get(i)) {
                values.add(v.value() == null ? json.nullNode() : toJson(v.value()));
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
                refs.add(OnlineFeatureReader.FeatureRef.parse(f.textValue()));
            } catch (IllegalArgumentException e) {
                throw new RequestException(400, e.getMessage());
            }
        }
        return refs;
    }

    private Map<String, List<FeastValue>> entities(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new RequestException(400, "'entities' must map join keys to lists of values, e.g. {\"customer_id\": [\"C1\"]}");
        }
        Map<String, List<FeastValue>> columns = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FeatureType type = registry.entities().values().stream().filter(en -> en.joinKey().equals(e.getKey()))
                    .map(FeatureRegistry.Entity::valueType).findFirst()
                    .orElseThrow(() -> new RequestException(400, "'" + e.getKey() + "' is not the join key of any entity"));
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new RequestException(400, "entity column '" + e.getKey() + "' must be a non-empty list");
            }
            if (e.getValue().size() > maxEntities) {
                throw new RequestException(413, e.getValue().size() + " entities requested; at most " + maxEntities + " per request");
            }
            List<FeastValue> values = new ArrayList<>(e.getValue().size());
            for (JsonNode v : e.getValue()) {
                values.add(entityValue(e.getKey(), type, v));
            }
            columns.put(e.getKey(), values);
        }
        return columns;
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
