package io.streamlake.build;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An app's options table for its README, made from its configuration metadata: every property SCDF's dashboard shows
 * for the app (its visible properties, by SCDF 2.11's rule), with its default and description, sorted by name. The
 * table sits in the README between {@link #BEGIN} and {@link #END}; the build writes it there (see {@link ScdfMetadata})
 * and a test in dataflow-definitions fails when the README's table and the metadata disagree.
 */
public final class OptionsTable {

    public static final String BEGIN = "<!-- options: generated from the app's configuration metadata by the build;"
            + " ./mvnw package -Dstreamlake.update-readme=true rewrites it -->";
    public static final String END = "<!-- end of options -->";

    private OptionsTable() {
    }

    /**
     * The table of the visible properties of merged metadata ({@code classes} and {@code names} as in
     * {@code dataflow-configuration-metadata.properties}); deprecated properties are left out.
     */
    public static String render(JsonNode metadata, Set<String> classes, Set<String> names) {
        Map<String, Set<String>> typesByGroup = new HashMap<>();
        for (JsonNode g : metadata.path("groups")) {
            if (g.hasNonNull("type")) {
                typesByGroup.computeIfAbsent(g.path("name").asText(), k -> new java.util.HashSet<>()).add(g.path("type").asText());
            }
        }
        Map<String, JsonNode> rows = new TreeMap<>();
        for (JsonNode p : metadata.path("properties")) {
            String name = p.path("name").asText();
            if (p.has("deprecation") || !visible(p, name, typesByGroup, classes, names)) {
                continue;
            }
            rows.putIfAbsent(name, p);
        }
        StringBuilder table = new StringBuilder("| property | default | description |\n|---|---|---|\n");
        rows.forEach((name, p) -> table.append("| `").append(name).append("` | ").append(defaultValue(p.path("defaultValue")))
                .append(" | ").append(cell(p.path("description").asText(""))).append(" |\n"));
        return table.toString();
    }

    /**
     * SCDF 2.11's rule: a property belongs to the group whose name is its longest prefix among the groups of its source
     * type; it is shown when every type binding that group's name is listed in {@code classes}, or when its own name is
     * in {@code names}.
     */
    private static boolean visible(JsonNode p, String name, Map<String, Set<String>> typesByGroup, Set<String> classes,
                                   Set<String> names) {
        if (names.contains(name)) {
            return true;
        }
        String source = p.path("sourceType").asText(null);
        if (source == null) {
            return false;
        }
        String group = null;
        for (Map.Entry<String, Set<String>> g : typesByGroup.entrySet()) {
            if (g.getValue().contains(source) && (name.startsWith(g.getKey() + ".") || g.getKey().isEmpty())
                    && (group == null || g.getKey().length() > group.length())) {
                group = g.getKey();
            }
        }
        return group != null && classes.containsAll(typesByGroup.get(group));
    }

    private static String defaultValue(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        String text = value.isArray() ? String.join(", ", stream(value)) : value.asText();
        return text.isEmpty() ? "(empty)" : "`" + text.replace("|", "\\|") + "`";
    }

    private static List<String> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** One line of a Markdown cell: whitespace collapsed, pipes escaped. */
    private static String cell(String text) {
        return text.strip().replaceAll("\\s+", " ").replace("|", "\\|");
    }

    /** The table in a README (between the markers, trimmed), or null when it has none. */
    public static String in(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        return begin < 0 || end < begin ? null : readme.substring(begin + BEGIN.length(), end).strip() + "\n";
    }

    /** The README with its table replaced by {@code table}; unchanged when it has no markers. */
    public static String replace(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            return readme;
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    /** A comma-separated list, as the lists in {@code dataflow-configuration-metadata.properties} are written. */
    static Set<String> list(String value) {
        return value == null ? Set.of() : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
