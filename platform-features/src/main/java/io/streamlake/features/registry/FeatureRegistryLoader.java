package io.streamlake.features.registry;

import io.streamlake.common.yaml.YamlNodes;
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

    /** The casino project shipped with the platform. */
    public static FeatureRegistry casino() {
        return loadResource("io/streamlake/features/casino-features.yaml");
    }

    /** Parses definitions read from {@code reader}; {@code file} names them in error messages. */
    static FeatureRegistry parse(String file, Reader reader) {
        return new FeatureRegistryLoader(file).parse(reader);
    }

    private FeatureRegistry parse(Reader reader) {
        Node root = yaml.root(reader);
        Map<String, Node> top = mapping(root, "the file", Set.of("project", "entities", "feature_views", "feature_services"));
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
            Map<String, Node> v = mapping(n, "a feature view", Set.of("name", "entities", "ttl", "source", "features",
                    "description"));
            String name = name(required(v, "name", n), "feature view name");
            if (views.containsKey(name)) {
                throw error(n, "duplicate feature view '" + name + "'");
            }
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
            Duration ttl = duration(required(v, "ttl", n));
            FeatureRegistry.Source source = source(required(v, "source", n), name);
            List<FeatureRegistry.Feature> features = new ArrayList<>();
            Set<String> featureNames = new LinkedHashSet<>();
            for (Node fn : sequence(required(v, "features", n), "features of " + name)) {
                Map<String, Node> f = mapping(fn, "a feature", Set.of("name", "dtype", "description"));
                String featureName = name(required(f, "name", fn), "feature name");
                if (!featureNames.add(featureName)) {
                    throw error(fn, "duplicate feature '" + featureName + "' in feature view '" + name + "'");
                }
                features.add(new FeatureRegistry.Feature(featureName, type(required(f, "dtype", fn)), text(f.get("description"))));
            }
            if (features.isEmpty()) {
                throw error(n, "feature view '" + name + "' has no features");
            }
            views.put(name, new FeatureRegistry.FeatureView(name, List.copyOf(viewEntities), ttl, List.copyOf(features),
                    source, text(v.get("description"))));
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
                    FeatureRegistry.FeatureView view = colon > 0 ? views.get(ref.substring(0, colon)) : null;
                    if (view == null || view.feature(ref.substring(colon + 1)).isEmpty()) {
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
                java.util.Collections.unmodifiableMap(services));
    }

    private FeatureRegistry.Source source(Node node, String view) {
        Map<String, Node> s = mapping(node, "a source", Set.of("stream", "store", "query"));
        if (s.containsKey("stream") == s.containsKey("query")) {
            throw error(node, "the source of feature view '" + view + "' needs either 'stream' or 'store' and 'query'");
        }
        if (s.containsKey("stream")) {
            return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.STREAM, scalar(s.get("stream"), "stream"), null, null);
        }
        String store = scalar(required(s, "store", node), "store");
        if (!store.equals("clickhouse") && !store.equals("postgres")) {
            throw error(s.get("store"), "unknown store '" + store + "' (clickhouse or postgres)");
        }
        return new FeatureRegistry.Source(FeatureRegistry.Source.Kind.BATCH, null, store, scalar(s.get("query"), "query"));
    }

    private FeatureType type(Node node) {
        String name = scalar(node, "a type");
        return FeatureType.ofFeastName(name).orElseThrow(() -> error(node, "unknown type '" + name + "' (known: "
                + FeatureType.names() + ")"));
    }

    private Duration duration(Node node) {
        String text = scalar(node, "a duration");
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw error(node, "ttl '" + text + "' is not a duration such as 30m, 24h or 7d");
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
