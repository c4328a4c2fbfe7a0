package io.streamlake.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Writes the content of an app's SCDF metadata jar into a directory: one {@code META-INF/spring-configuration-metadata.json}
 * merging the metadata of every class-path entry (the app's own classes first, then its libraries'), and one
 * {@code META-INF/dataflow-configuration-metadata.properties} merging the visible classes and names they declare.
 * <p>
 * Why: SCDF 2.11 reads a registered metadata jar as a plain jar, one file of each name, and shows a property as
 * visible only when every source type of its group is listed (or its name is). The configuration processor writes an
 * app's metadata for the app's own classes only, so shared groups ({@code streamlake.dlq.*} from platform-stream,
 * {@code streamlake.task.*}, Spring Boot's {@code spring.datasource.*}) were missing from the jar though the app's
 * list named them. Spring's own aggregating plugin (spring-cloud-app-starter-metadata-maven-plugin 2.0) does this for
 * Boot 2 apps but fails on Boot 3 class paths, so the build runs this instead (exec:java, the app's runtime class path).
 */
public final class ScdfMetadata {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    static final String VISIBLE = "META-INF/dataflow-configuration-metadata.properties";
    static final String CLASSES = "configuration-properties.classes";
    static final String NAMES = "configuration-properties.names";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScdfMetadata() {
    }

    /**
     * {@code args[0]}: the directory to write into (e.g. target/scdf-metadata); {@code args[1]} (optional): the app's
     * README, whose options table is written to {@code options.md} in that directory, and into the README itself when
     * {@code args[2]} is {@code true} (-Dstreamlake.update-readme=true).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            throw new IllegalArgumentException("usage: ScdfMetadata <output directory> [<README.md> [<update README: true|false>]]");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Path out = Path.of(args[0]);
        String table = write(out, Collections.list(loader.getResources(METADATA)), Collections.list(loader.getResources(VISIBLE)));
        Files.writeString(out.resolve("options.md"), table);
        Path readme = args.length > 1 ? Path.of(args[1]) : null;
        if (readme != null && args.length > 2 && Boolean.parseBoolean(args[2]) && Files.exists(readme)) {
            String text = Files.readString(readme);
            String updated = OptionsTable.replace(text, table);
            if (!updated.equals(text)) {
                Files.writeString(readme, updated);
                System.out.println("[scdf-metadata] rewrote the options table of " + readme);
            }
        }
    }

    /** Writes the metadata jar's content; returns the app's options table. */
    static String write(Path out, List<URL> metadata, List<URL> visible) throws IOException {
        Files.createDirectories(out.resolve("META-INF"));
        ObjectNode all = merge(metadata);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(METADATA).toFile(), all);
        Properties merged = mergeVisible(visible);
        try (var writer = Files.newBufferedWriter(out.resolve(VISIBLE))) {
            writer.write("# Merged by the build from the app's and its libraries' lists (see ScdfMetadata)\n");
            for (String key : List.of(CLASSES, NAMES)) {
                if (merged.getProperty(key) != null) {
                    writer.write(key + "=" + merged.getProperty(key) + "\n");
                }
            }
        }
        return OptionsTable.render(all, OptionsTable.list(merged.getProperty(CLASSES)), OptionsTable.list(merged.getProperty(NAMES)));
    }

    /** Groups, properties and hints of all files; the first file to name one keeps it (the app's own come first). */
    static ObjectNode merge(List<URL> files) {
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Map<String, JsonNode> hints = new LinkedHashMap<>();
        for (URL file : files) {
            JsonNode root = read(file);
            // a group's identity is its name and type: one prefix may be bound by several classes
            root.path("groups").forEach(g -> groups.putIfAbsent(g.path("name").asText() + "|" + g.path("type").asText(), g));
            root.path("properties").forEach(p -> properties.putIfAbsent(p.path("name").asText(), p));
            root.path("hints").forEach(h -> hints.putIfAbsent(h.path("name").asText(), h));
        }
        ObjectNode merged = JSON.createObjectNode();
        merged.set("groups", array(groups));
        merged.set("properties", array(properties));
        merged.set("hints", array(hints));
        return merged;
    }

    static Properties mergeVisible(List<URL> files) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (URL file : files) {
            Properties p = new Properties();
            try (InputStream in = file.openStream()) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            for (String key : List.of(CLASSES, NAMES)) {
                String value = p.getProperty(key);
                if (value != null) {
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            values.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(item.strip());
                        }
                    }
                }
            }
        }
        Properties merged = new Properties();
        values.forEach((key, items) -> merged.setProperty(key, String.join(",", items)));
        return merged;
    }

    private static ArrayNode array(Map<String, JsonNode> items) {
        ArrayNode array = JSON.createArrayNode();
        items.values().forEach(array::add);
        return array;
    }

    private static JsonNode read(URL file) {
        try (InputStream in = file.openStream()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
