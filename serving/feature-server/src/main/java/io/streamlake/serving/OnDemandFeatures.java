package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.features.expression.FeatureExpression;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.registry.FeatureType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's on-demand feature views, computed at lookup time; no Spring in here. Each view's expressions read its
 * request fields (values the request carries next to the entity keys) and the stored features of its source views;
 * {@link #compute} evaluates one requested feature for every entity row.
 */
final class OnDemandFeatures {

    /** One on-demand view, compiled: the stored features it reads (in the order its expressions index them). */
    record View(FeatureRegistry.OnDemandView declared, List<OnlineFeatureReader.FeatureRef> sources,
                Map<String, FeatureExpression> expressions) {
    }

    private final Map<String, View> views = new LinkedHashMap<>();

    OnDemandFeatures(FeatureRegistry registry) {
        for (FeatureRegistry.OnDemandView v : registry.onDemandViews().values()) {
            Map<String, FeatureExpression.Name> names = FeatureRegistryLoader.onDemandNames(v.sources(), v.request(),
                    registry.featureViews());
            List<OnlineFeatureReader.FeatureRef> sources = new ArrayList<>();
            for (String source : v.sources()) {
                for (FeatureRegistry.Feature f : registry.featureView(source).orElseThrow().features()) {
                    sources.add(new OnlineFeatureReader.FeatureRef(source, f.name()));
                }
            }
            Map<String, FeatureExpression> expressions = new LinkedHashMap<>();
            for (FeatureRegistry.Feature f : v.features()) {
                expressions.put(f.name(), FeatureExpression.compile(f.expression(), names::get)); // checked when loaded
            }
            views.put(v.name(), new View(v, List.copyOf(sources), expressions));
        }
    }

    boolean isOnDemand(String view) {
        return views.containsKey(view);
    }

    View view(String name) {
        return views.get(name);
    }

    /**
     * A request column's values typed as the request field declares, or a 400 naming the field and the value.
     */
    static List<Object> requestColumn(FeatureRegistry.RequestField field, JsonNode values) {
        List<Object> typed = new ArrayList<>(values.size());
        for (JsonNode v : values) {
            typed.add(requestValue(field, v));
        }
        return typed;
    }

    private static Object requestValue(FeatureRegistry.RequestField field, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        FeatureType type = field.type();
        switch (type) {
            case FLOAT64, FLOAT32:
                if (v.isNumber()) {
                    return v.doubleValue();
                }
                break;
            case INT64, INT32:
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return v.longValue();
                }
                break;
            case STRING:
                if (v.isTextual()) {
                    return v.textValue();
                }
                break;
            case BOOL:
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                break;
            case UNIX_TIMESTAMP:
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return Instant.ofEpochSecond(v.longValue());
                }
                if (v.isTextual()) {
                    try {
                        return Instant.parse(v.textValue());
                    } catch (java.time.format.DateTimeParseException e) {
                        break;
                    }
                }
                break;
            default:
                break;
        }
        throw new OnlineFeaturesHandler.RequestException(400, "request field '" + field.name() + "' takes "
                + type.feastName() + " values, got " + v);
    }

    /**
     * The feature for every row: its expression over the row's request values and the source features read for it.
     *
     * @param request per request field of the view, one value per row
     * @param stored  per source feature reference of the view, one value per row
     */
    static List<OnlineFeatureReader.FeatureValue> compute(View view, String feature, List<List<Object>> request,
                                                          List<List<OnlineFeatureReader.FeatureValue>> stored, int rows) {
        FeatureExpression expression = view.expressions().get(feature);
        FeatureType type = view.declared().feature(feature).orElseThrow().type();
        List<OnlineFeatureReader.FeatureValue> column = new ArrayList<>(rows);
        Object[] values = new Object[request.size() + stored.size()];
        for (int row = 0; row < rows; row++) {
            int i = 0;
            for (List<Object> r : request) {
                values[i++] = r.get(row);
            }
            Instant newest = null;
            for (List<OnlineFeatureReader.FeatureValue> s : stored) {
                OnlineFeatureReader.FeatureValue v = s.get(row);
                values[i++] = v.value() == null ? null : FeatureExpression.fromFeast(v.value());
                if (v.eventTimestamp() != null && (newest == null || v.eventTimestamp().isAfter(newest))) {
                    newest = v.eventTimestamp();
                }
            }
            FeastValue value;
            try {
                value = FeatureExpression.toFeast(expression.value(values), type);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new OnlineFeaturesHandler.RequestException(400, "on-demand feature " + view.declared().name() + ":"
                        + feature + " cannot be computed for entity row " + row + ": " + e.getMessage());
            }
            column.add(new OnlineFeatureReader.FeatureValue(value.type() == FeastValue.Type.NULL ? null : value,
                    value.type() == FeastValue.Type.NULL ? OnlineFeatureReader.Status.NOT_FOUND : OnlineFeatureReader.Status.PRESENT,
                    newest));
        }
        return column;
    }
}
