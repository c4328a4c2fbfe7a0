package io.streamlake.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * An app's configuration properties as SCDF 2.11 reads them from its registered metadata jar
 * ({@code BootApplicationConfigurationMetadataResolver}): a plain jar with one {@code spring-configuration-metadata.json}
 * and one {@code dataflow-configuration-metadata.properties}.
 * <ul>
 *   <li>{@link #accepts}: every property the app binds (its own and its libraries'; map-typed ones take any key below
 *       them; names compare in Spring's relaxed form);</li>
 *   <li>{@link #visible}: what the dashboard lists without "exhaustive". A property belongs to the group whose type is
 *       its source type and whose name is its longest prefix (Spring Boot's metadata repository); the group is shown
 *       when every type binding that group name is in {@code configuration-properties.classes}; otherwise only a
 *       property whose exact name is in {@code configuration-properties.names} is shown.</li>
 * </ul>
 */
final class AppMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> names = new HashSet<>();
    private final Set<String> mapPrefixes = new HashSet<>();
    /** The map properties' canonical names. */
    private final Set<String> maps = new HashSet<>();
    private final Set<String> visible = new HashSet<>();
    private final Set<String> all = new HashSet<>();
    private final Map<String, String> descriptions = new HashMap<>();

    static AppMetadata of(Path metadataJar) throws IOException {
        AppMetadata m = new AppMetadata();
        try (JarFile jar = new JarFile(metadataJar.toFile())) {
            JarEntry json = jar.getJarEntry("META-INF/spring-configuration-metadata.json");
            JarEntry lists = jar.getJarEntry("META-INF/dataflow-configuration-metadata.properties");
            if (json == null || lists == null) {
                throw new IllegalStateException(metadataJar + " lacks the metadata SCDF reads");
            }
            try (InputStream metadata = jar.getInputStream(json); InputStream visibleLists = jar.getInputStream(lists)) {
                m.read(metadata, visibleLists);
            }
        }
        return m;
    }

    /** The same from the two files as the build writes them into a folder (target/scdf-metadata). */
    static AppMetadata ofFolder(Path folder) throws IOException {
        AppMetadata m = new AppMetadata();
        try (InputStream metadata = java.nio.file.Files.newInputStream(folder.resolve("META-INF/spring-configuration-metadata.json"));
             InputStream visibleLists = java.nio.file.Files.newInputStream(folder.resolve("META-INF/dataflow-configuration-metadata.properties"))) {
            m.read(metadata, visibleLists);
        }
        return m;
    }

    private void read(InputStream metadata, InputStream lists) throws IOException {
        Properties visibleLists = new Properties();
        visibleLists.load(lists);
        add(JSON.readTree(metadata.readAllBytes()), list(visibleLists, "configuration-properties.classes"),
                list(visibleLists, "configuration-properties.names"));
    }

    private static Set<String> list(Properties p, String key) {
        return Arrays.stream(p.getProperty(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private void add(JsonNode root, Set<String> classes, Set<String> visibleNames) {
        Map<String, Set<String>> typesByGroup = new HashMap<>();
        for (JsonNode g : root.path("groups")) {
            if (g.hasNonNull("type")) {
                typesByGroup.computeIfAbsent(g.path("name").asText(), k -> new HashSet<>()).add(g.path("type").asText());
            }
        }
        for (JsonNode p : root.path("properties")) {
            String name = p.path("name").asText();
            all.add(name);
            descriptions.put(name, p.path("description").asText(""));
            names.add(relaxed(name));
            if (p.path("type").asText().startsWith("java.util.Map")) {
                mapPrefixes.add(relaxed(name) + ".");
                maps.add(name);
            }
            String group = null;
            String sourceType = p.path("sourceType").asText(null);
            for (Map.Entry<String, Set<String>> g : typesByGroup.entrySet()) {
                if (sourceType != null && g.getValue().contains(sourceType) && name.startsWith(g.getKey() + ".")
                        && (group == null || g.getKey().length() > group.length())) {
                    group = g.getKey();
                }
            }
            if ((group != null && classes.containsAll(typesByGroup.get(group))) || visibleNames.contains(name)) {
                visible.add(name);
            }
        }
    }

    boolean accepts(String property) {
        String p = relaxed(property);
        return names.contains(p) || mapPrefixes.stream().anyMatch(p::startsWith);
    }

    /** Shown on the app's page in the dashboard (exact canonical name, as SCDF compares). */
    boolean visible(String property) {
        return visible.contains(property);
    }

    /**
     * Shown in the dashboard itself, or an entry of a map property the dashboard shows ({@code http-poll.fields.email}
     * under {@code http-poll.fields}): SCDF lists the map, whose keys are the user's.
     */
    boolean visibleOrMapEntry(String property) {
        return visible(property) || maps.stream().anyMatch(map -> property.startsWith(map + ".") && visible.contains(map));
    }

    /** The property's description, blank when it has none. */
    String description(String property) {
        return descriptions.getOrDefault(property, "");
    }

    /** Every property the dashboard shows. */
    Set<String> visibleNames() {
        return visible;
    }

    /** Every property name the metadata holds. */
    Set<String> all() {
        return all;
    }

    int size() {
        return names.size();
    }

    /** Spring's relaxed binding: case, dashes and underscores do not matter. */
    static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
