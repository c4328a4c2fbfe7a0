package io.streamlake.features.registry;

import io.streamlake.common.yaml.YamlNodes;
import io.streamlake.features.expression.FeatureExpression;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a feature definitions file and checks it, failing on the first problem with the file, line and what is
 * wrong: unknown keys or types, duplicate names, a view naming an entity that is not declared, a TTL that is
 * not a duration, a view without features or source.
 * <pre>
 * project: casino
 * entities:
 *   - name: customer
 *     join_key: customer_id
 *     value_type: String
 * feature_views:
 *   - name: customer_activity
 *     entities: [customer]
 *     ttl: 24h
 *     source: {stream: customer-activity-windows}       # or {store: clickhouse, query: "SELECT ..."}
 *     features:
 *       - {name: bet_count_5m, dtype: Int64}
 * </pre>
 */
public final class FeatureRegistryLoader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String file;
    private final YamlNodes yaml;

    private FeatureRegistryLoader(String file) {
        this.file = file;
        this.yaml = new YamlNodes(file, FeatureDefinitionException::new);
    }

    public static FeatureRegistry load(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new FeatureRegistryLoader(path.toString()).parse(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feature definitions " + path, e);
        }
    }

    /** Loads a definitions file from the classpath, e.g. the shipped casino project. */
    public static FeatureRegistry loadResource(String resource) {
        InputStream in = FeatureRegistryLoader.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("no feature definitions on the classpath at " + resource);
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return new FeatureRegistryLoader("classpath:" + resource).parse(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The definitions an app's {@code definitions} property names: empty for the shipped casino project,
     * {@code classpath:<resource>} for one shipped in the jar (e.g. {@code classpath:io/streamlake/features/orders-features.yaml}),
     * otherwise a file path.
     */
    public static FeatureRegistry at(String location) {
        if (location == null || location.isBlank()) {
            return casino();
        }
        if (location.startsWith("classpath:")) {
            return loadResource(location.substring("classpath:".length()).replaceFirst("^/", ""));
        }
        return load(Path.of(location));
    }

    /** The casino project shipped with the platform. */
    public static FeatureRegistry casino() {
        return loadResource("io/streamlake/features/casino-features.yaml");
    }

    /** Parses definitions read from {@code reader}; {@code file} names them in error messages. */
    public static FeatureRegistry parse(String file, Reader reader) {
        return new FeatureRegistryLoader(file).parse(reader);
    }

    private FeatureRegistry parse(Reader reader) {
        Node root = yaml.root(reader);
        Map<String, Node> top = mapping(root, "the file", Set.of("project", "entities", "feature_views", "feature_services",
                "on_demand_feature_views"));
        String project = name(required(top, "project", root), "project");

        Map<String, FeatureRegistry.Entity> entities = new LinkedHashMap<>();
        for (Node n : sequence(required(top, "entities", root), "entities")) {
            Map<String, Node> e = mapping(n, "an entity", Set.of("name", "join_key", "value_type", "description"));
            String name = name(required(e, "name", n), "entity name");
            if (entities.containsKey(name)) {
                throw error(n, "duplicate entity '" + name + "'");
            }
            FeatureType type = type(required(e, "value_type", n));
            if (type.valueType() != io.streamlake.features.feast.FeastValue.Type.STRING
                    && type != FeatureType.INT64 && type != FeatureType.INT32 && type != FeatureType.BYTES) {
                throw error(e.get("value_type"), "entity '" + name + "' has value_type " + type.feastName()
                        + "; entity keys are String, Int64, Int32 or Bytes");
            }
            entities.put(name, new FeatureRegistry.Entity(name, name(required(e, "join_key", n), "join_key"), type,
                    text(e.get("description"))));
        }

        Map<String, FeatureRegistry.FeatureView> views = new LinkedHashMap<>();
        for (Node n : sequence(required(top, "feature_views", root), "feature_views")) {
            FeatureRegistry.FeatureView view = featureView(n, entities);
            if (views.containsKey(view.name())) {
                throw error(n, "duplicate feature view '" + view.name() + "'");
            }
            views.put(view.name(), view);
        }
        Map<String, FeatureRegistry.OnDemandView> onDemand = new LinkedHashMap<>();
        if (top.containsKey("on_demand_feature_views")) {
            for (Node n : sequence(top.get("on_demand_feature_views"), "on_demand_feature_views")) {
                FeatureRegistry.OnDemandView view = onDemandView(n, views);
                if (onDemand.containsKey(view.name()) || views.containsKey(view.name())) {
                    throw error(n, "duplicate feature view '" + view.name() + "'");
                }
                onDemand.put(view.name(), view);
            }
        }
        Map<String, List<String>> services = new LinkedHashMap<>();
        if (top.containsKey("feature_services")) {
            for (Node n : sequence(top.get("feature_services"), "feature_services")) {
                Map<String, Node> fs = mapping(n, "a feature service", Set.of("name", "features", "description"));
                String name = name(required(fs, "name", n), "feature service name");
                if (services.containsKey(name)) {
                    throw error(n, "duplicate feature service '" + name + "'");
                }
                List<String> refs = new ArrayList<>();
                for (Node r : sequence(required(fs, "features", n), "features of " + name)) {
                    String ref = scalar(r, "a feature reference");
                    int colon = ref.indexOf(':');
                    String viewName = colon > 0 ? ref.substring(0, colon) : "";
                    String featureName = ref.substring(colon + 1);
                    boolean declared = views.containsKey(viewName) ? views.get(viewName).feature(featureName).isPresent()
                            : onDemand.containsKey(viewName) && onDemand.get(viewName).feature(featureName).isPresent();
                    if (!declared) {
                        throw error(r, "feature service '" + name + "' names '" + ref
                                + "', which is not a declared feature_view:feature");
                    }
                    refs.add(ref);
                }
                if (refs.isEmpty()) {
                    throw error(n, "feature service '" + name + "' has no features");
                }
                services.put(name, List.copyOf(refs));
            }
        }
        return new FeatureRegistry(project, Map.copyOf(entities), java.util.Collections.unmodifiableMap(views),
                java.util.Collections.unmodifiableMap(services), java.util.Collections.unmodifiableMap(onDemand));
    }

    private FeatureRegistry.FeatureView featureView(Node n, Map<String, FeatureRegistry.Entity> entities) {
        Map<String, Node> v = mapping(n, "a feature view", Set.of("name", "entities", "ttl", "source", "features",
                "description", "windows", "filter", "grace", "aggregations"));
        String name = name(required(v, "name", n), "feature view name");
        List<String> viewEntities = new ArrayList<>();
        for (Node en : sequence(required(v, "entities", n), "entities of " + name)) {
            String entity = scalar(en, "an entity name");
            if (!entities.containsKey(entity)) {
                throw error(en, "feature view '" + name + "' names entity '" + entity + "', which is not declared"
                        + " (declared: " + entities.keySet() + ")");
            }
            viewEntities.add(entity);
        }
        if (viewEntities.isEmpty()) {
            throw error(n, "feature view '" + name + "' has no entities");
        }
        Duration ttl = duration(required(v, "ttl", n), "ttl");
        FeatureRegistry.Source source = source(required(v, "source", n), name);
        FeatureRegistry.Aggregations aggregations = null;
        if (source.aggregated()) {
            aggregations = aggregations(v, n, name);
        } else {
            for (String key : List.of("windows", "filter", "grace", "aggregations")) {
                if (v.containsKey(key)) {
                    throw error(v.get(key), "'" + key + "' belongs to views aggregated from events (source: {contract: ...});"
                            + " feature view '" + name + "' has a " + source.kind().name().toLowerCase() + " source");
                }
            }
        }
        Map<String, FeatureRegistry.Aggregate> aggregates = aggregations == null ? Map.of() : aggregations.aggregates();
        List<FeatureRegistry.Feature> features = new ArrayList<>();
        for (FeatureNode feature : featureNodes(required(v, "features", n), "feature view '" + name + "'")) {
            Node fn = feature.node();
            Map<String, Node> f = feature.fields();
            String featureName = feature.name();
            FeatureType dtype = feature.dtype();
            String expression = feature.expression();
            if (expression != null && aggregations == null) {
                throw error(f.get("expression"), "feature '" + featureName + "' has an expression, but feature view '"
                        + name + "' is not aggregated from events: only those and on-demand views compute features");
            }
            if (expression != null) {
                checkExpression(f.get("expression"), expression, aggregateName -> aggregates.containsKey(aggregateName)
                        || aggregateName.equals(EVENT_TIMESTAMP) ? new FeatureExpression.Name(0,
                        FeatureExpression.Kind.NULL) : null, "the view's aggregates "
                        + aggregates.keySet() + " and " + EVENT_TIMESTAMP);
            } else if (aggregations != null && !aggregates.containsKey(featureName)) {
                throw error(fn, "feature '" + featureName + "' of feature view '" + name + "' is neither an aggregate "
                        + aggregates.keySet() + " nor has an expression");
            } else if (aggregations != null) {
                FeatureRegistry.Function function = aggregates.get(featureName).aggregation().function();
                if ((function == FeatureRegistry.Function.COUNT || function == FeatureRegistry.Function.COUNT_DISTINCT)
                        && dtype != FeatureType.INT64 && dtype != FeatureType.INT32) {
                    throw error(f.get("dtype"), "feature '" + featureName + "' is a " + function.yamlName()
                            + ", so its dtype is Int64 (or Int32), not " + dtype.feastName());
                }
                if ((function == FeatureRegistry.Function.AVG || function == FeatureRegistry.Function.STDDEV)
                        && dtype != FeatureType.FLOAT64 && dtype != FeatureType.FLOAT32) {
                    throw error(f.get("dtype"), "feature '" + featureName + "' is an " + function.yamlName()
                            + ", so its dtype is Float64 (or Float32), not " + dtype.feastName());
                }
            }
            features.add(new FeatureRegistry.Feature(featureName, dtype, text(f.get("description")), expression,
                    location(fn)));
        }
        if (features.isEmpty()) {
            throw error(n, "feature view '" + name + "' has no features");
        }
        return new FeatureRegistry.FeatureView(name, List.copyOf(viewEntities), ttl, List.copyOf(features), source,
                text(v.get("description")), aggregations, location(n));
    }

    /** One entry of a view's features: its node, its keys, and the name, dtype and expression (null if none) read. */
    private record FeatureNode(Node node, Map<String, Node> fields, String name, FeatureType dtype, String expression) {
    }

    /** A view's features, each read and checked for shape; a name twice is refused, naming {@code owner}. */
    private List<FeatureNode> featureNodes(Node sequence, String owner) {
        List<FeatureNode> features = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node fn : sequence(sequence, "features of " + owner)) {
            Map<String, Node> f = mapping(fn, "a feature", Set.of("name", "dtype", "description", "expression"));
            String name = name(required(f, "name", fn), "feature name");
            if (!names.add(name)) {
                throw error(fn, "duplicate feature '" + name + "' in " + owner);
            }
            features.add(new FeatureNode(fn, f, name, type(required(f, "dtype", fn)),
                    f.containsKey("expression") ? scalar(f.get("expression"), "expression") : null));
        }
        return features;
    }

    /** The name a derived feature uses for the time of the entity's latest event. */
    public static final String EVENT_TIMESTAMP = "event_timestamp";

    private FeatureRegistry.Aggregations aggregations(Map<String, Node> v, Node owner, String view) {
        List<FeatureRegistry.Window> viewWindows = v.containsKey("windows") ? windows(v.get("windows"), view) : List.of();
        String filter = v.containsKey("filter") ? scalar(v.get("filter"), "filter") : null;
        Duration grace = v.containsKey("grace") ? duration(v.get("grace"), "grace") : null;
        List<FeatureRegistry.Aggregation> list = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node an : sequence(required(v, "aggregations", owner), "aggregations of " + view)) {
            Map<String, Node> a = mapping(an, "an aggregation", Set.of("name", "function", "column", "filter", "windows",
                    "exact_up_to", "description"));
            String name = name(required(a, "name", an), "aggregation name");
            if (!names.add(name)) {
                throw error(an, "duplicate aggregation '" + name + "' in feature view '" + view + "'");
            }
            String functionName = scalar(required(a, "function", an), "function");
            FeatureRegistry.Function function = java.util.Arrays.stream(FeatureRegistry.Function.values())
                    .filter(f -> f.yamlName().equals(functionName)).findFirst()
                    .orElseThrow(() -> error(a.get("function"), "unknown function '" + functionName + "' (count, sum, avg,"
                            + " min, max, count_distinct, last, stddev)"));
            String column = a.containsKey("column") ? scalar(a.get("column"), "column") : null;
            if (column == null && function != FeatureRegistry.Function.COUNT) {
                throw error(an, "aggregation '" + name + "' (" + functionName + ") needs a column");
            }
            List<FeatureRegistry.Window> windows = a.containsKey("windows") ? windows(a.get("windows"), view) : viewWindows;
            if (windows.isEmpty()) {
                throw error(an, "aggregation '" + name + "' has no windows (declare windows on the view or the aggregation)");
            }
            int exactUpTo = 10_000;
            if (a.containsKey("exact_up_to")) {
                String text = scalar(a.get("exact_up_to"), "exact_up_to");
                try {
                    exactUpTo = Integer.parseInt(text.strip());
                } catch (NumberFormatException e) {
                    exactUpTo = -1;
                }
                if (exactUpTo < 1 || function != FeatureRegistry.Function.COUNT_DISTINCT) {
                    throw error(a.get("exact_up_to"), "exact_up_to is a positive whole number, for count_distinct only");
                }
            }
            list.add(new FeatureRegistry.Aggregation(name, function, column,
                    a.containsKey("filter") ? scalar(a.get("filter"), "filter") : null, windows, exactUpTo, location(an)));
        }
        if (list.isEmpty()) {
            throw error(owner, "feature view '" + view + "' has no aggregations");
        }
        return new FeatureRegistry.Aggregations(viewWindows, filter, grace, List.copyOf(list));
    }

    private List<FeatureRegistry.Window> windows(Node node, String view) {
        List<FeatureRegistry.Window> windows = new ArrayList<>();
        Set<Long> lengths = new java.util.HashSet<>();
        for (Node w : sequence(node, "windows of " + view)) {
            String label = scalar(w, "a window").strip();
            if (label.equals(FeatureRegistry.Window.LIFETIME)) {
                if (!lengths.add(0L)) {
                    throw error(w, "window 'lifetime' is listed twice");
                }
                windows.add(new FeatureRegistry.Window(label, null));
                continue;
            }
            Duration length = duration(w, "window");
            if (length.toMinutes() < 1 || length.toSeconds() % 60 != 0) {
                throw error(w, "window '" + label + "' is not a whole number of minutes (windows are aligned to minutes)");
            }
            if (!NAME.matcher("w" + label).matches()) {
                throw error(w, "window '" + label + "' must be written like 5m, 1h or 7d (it becomes part of feature names)");
            }
            if (!lengths.add(length.toMinutes())) {
                throw error(w, "window '" + label + "' is listed twice");
            }
            windows.add(new FeatureRegistry.Window(label, length));
        }
        return List.copyOf(windows);
    }

    private FeatureRegistry.OnDemandView onDemandView(Node n, Map<String, FeatureRegistry.FeatureView> views) {
        Map<String, Node> v = mapping(n, "an on-demand feature view", Set.of("name", "sources", "request", "features",
                "description"));
        String name = name(required(v, "name", n), "on-demand feature view name");
        List<String> sources = new ArrayList<>();
        if (v.containsKey("sources")) {
            for (Node sn : sequence(v.get("sources"), "sources of " + name)) {
                String source = scalar(sn, "a feature view name");
                if (!views.containsKey(source)) {
                    throw error(sn, "on-demand feature view '" + name + "' reads feature view '" + source
                            + "', which is not declared");
                }
                sources.add(source);
            }
        }
        List<FeatureRegistry.RequestField> request = new ArrayList<>();
        if (v.containsKey("request")) {
            for (Node rn : sequence(v.get("request"), "request of " + name)) {
                Map<String, Node> r = mapping(rn, "a request field", Set.of("name", "dtype", "description"));
                request.add(new FeatureRegistry.RequestField(name(required(r, "name", rn), "request field name"),
                        type(required(r, "dtype", rn))));
            }
        }
        Map<String, FeatureExpression.Name> names = onDemandNames(sources, request, views);
        List<FeatureRegistry.Feature> features = new ArrayList<>();
        for (FeatureNode feature : featureNodes(required(v, "features", n), "on-demand feature view '" + name + "'")) {
            Node fn = feature.node();
            Map<String, Node> f = feature.fields();
            String featureName = feature.name();
            FeatureType dtype = feature.dtype();
            String expression = feature.expression() != null ? feature.expression()
                    : scalar(required(f, "expression", fn), "expression");
            FeatureExpression compiled = checkExpression(f.get("expression"), expression,
                    names::get, "request fields and source features " + names.keySet());
            if (!FeatureExpression.fits(compiled.kind(), dtype)) {
                throw error(f.get("dtype"), "feature '" + featureName + "' is declared " + dtype.feastName() + " but its"
                        + " expression gives a " + compiled.kind().name().toLowerCase());
            }
            features.add(new FeatureRegistry.Feature(featureName, dtype, text(f.get("description")), expression, location(fn)));
        }
        if (features.isEmpty()) {
            throw error(n, "on-demand feature view '" + name + "' has no features");
        }
        return new FeatureRegistry.OnDemandView(name, List.copyOf(sources), List.copyOf(request), List.copyOf(features),
                text(v.get("description")));
    }

    /**
     * What an on-demand view's expressions may name, in the order of the values array the feature server builds:
     * request fields, then each source view's features as {@code view.feature}, and also by bare name where only one
     * source has it.
     */
    public static Map<String, FeatureExpression.Name> onDemandNames(
            List<String> sources, List<FeatureRegistry.RequestField> request, Map<String, FeatureRegistry.FeatureView> views) {
        Map<String, FeatureExpression.Name> names = new LinkedHashMap<>();
        Map<String, Integer> bareCount = new java.util.HashMap<>();
        int index = 0;
        for (FeatureRegistry.RequestField r : request) {
            names.put(r.name(), new FeatureExpression.Name(index++,
                    FeatureExpression.kindOf(r.type())));
        }
        Map<String, FeatureExpression.Name> bare = new LinkedHashMap<>();
        for (String source : sources) {
            for (FeatureRegistry.Feature f : views.get(source).features()) {
                FeatureExpression.Name name = new FeatureExpression.Name(
                        index++, FeatureExpression.kindOf(f.type()));
                names.put(source + "." + f.name(), name);
                bareCount.merge(f.name(), 1, Integer::sum);
                bare.putIfAbsent(f.name(), name);
            }
        }
        bare.forEach((n, name) -> {
            if (bareCount.get(n) == 1 && !names.containsKey(n)) {
                names.put(n, name);
            }
        });
        return names;
    }

    private FeatureExpression checkExpression(
            Node node, String expression, java.util.function.Function<String, FeatureExpression.Name> names,
            String known) {
        try {
            return FeatureExpression.compile(expression, names);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage() + (e.getMessage().contains("unknown name") ? " (it may use " + known + ")" : ""));
        }
    }

    private String location(Node node) {
        return file + ":" + YamlNodes.line(node);
    }

    private FeatureRegistry.Source source(Node node, String view) {
        Map<String, Node> s = mapping(node, "a source", Set.of("stream", "store", "query", "contract", "topic",
                "timestamp_field", "push"));
        // a contract source may also name its offline equivalent (store and query), for training sets
        boolean offlineOfStream = s.containsKey("contract") && (s.containsKey("query") || s.containsKey("store"));
        int kinds = (s.containsKey("stream") ? 1 : 0) + (s.containsKey("query") || s.containsKey("store") ? 1 : 0)
                + (s.containsKey("contract") ? 1 : 0) + (s.containsKey("push") ? 1 : 0) - (offlineOfStream ? 1 : 0);
        if (kinds != 1) {
            throw error(node, "the source of feature view '" + view + "' needs one of 'contract' (events to aggregate),"
                    + " 'stream' (feature rows from a stream app), 'store' and 'query' (a batch query) or 'push'");
        }
        if (!s.containsKey("contract")) {
            for (String key : List.of("topic", "timestamp_field")) {
                if (s.containsKey(key)) {
                    throw error(s.get(key), "'" + key + "' belongs to a contract source");
                }
            }
        }
        if (s.containsKey("stream")) {
            return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.STREAM, scalar(s.get("stream"), "stream"),
                    null, null, null, null, null, null);
        }
        if (s.containsKey("contract")) {
            String store = null;
            String query = null;
            if (offlineOfStream) {
                store = scalar(required(s, "store", node), "store");
                if (!store.equals("clickhouse")) {
                    throw error(s.get("store"), "the offline equivalent of a stream view is read from clickhouse, not '"
                            + store + "'");
                }
                query = scalar(required(s, "query", node), "query");
            }
            return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.STREAM, null, store, query,
                    scalar(s.get("contract"), "contract"), s.containsKey("topic") ? scalar(s.get("topic"), "topic") : null,
                    s.containsKey("timestamp_field") ? scalar(s.get("timestamp_field"), "timestamp_field") : null, null);
        }
        if (s.containsKey("push")) {
            return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.PUSH, null, null, null, null, null, null,
                    name(s.get("push"), "push source name"));
        }
        String store = scalar(required(s, "store", node), "store");
        if (!store.equals("clickhouse") && !store.equals("postgres")) {
            throw error(s.get("store"), "unknown store '" + store + "' (clickhouse or postgres)");
        }
        return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.BATCH, null, store,
                scalar(required(s, "query", node), "query"), null, null, null, null);
    }

    private FeatureType type(Node node) {
        String name = scalar(node, "a type");
        return FeatureType.ofFeastName(name).orElseThrow(() -> error(node, "unknown type '" + name + "' (known: "
                + FeatureType.names() + ")"));
    }

    private Duration duration(Node node, String what) {
        String text = scalar(node, "a duration");
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw error(node, what + " '" + text + "' is not a duration such as 30m, 24h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private String name(Node node, String what) {
        String value = scalar(node, what);
        if (!NAME.matcher(value).matches()) {
            throw error(node, what + " '" + value + "' must be an identifier (letters, digits, '_')");
        }
        return value;
    }

    private String scalar(Node node, String what) {
        return yaml.scalar(node, what);
    }

    private String text(Node node) {
        return yaml.text(node);
    }

    private List<Node> sequence(Node node, String what) {
        return yaml.sequence(node, what);
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        return yaml.mapping(node, what, allowed);
    }

    private Node required(Map<String, Node> map, String key, Node owner) {
        return yaml.required(map, key, owner);
    }

    private RuntimeException error(Node node, String message) {
        return yaml.error(node, message);
    }

    /** A problem in a feature definitions file; the message starts with {@code file:line:}. */
    public static final class FeatureDefinitionException extends IllegalArgumentException {
        FeatureDefinitionException(String message) {
            super(message);
        }
    }
}
