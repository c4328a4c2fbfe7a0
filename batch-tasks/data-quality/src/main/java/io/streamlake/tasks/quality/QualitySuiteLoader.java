package io.streamlake.tasks.quality;

import io.streamlake.common.yaml.YamlNodes;
import org.yaml.snakeyaml.nodes.Node;

import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a suite file:
 * <pre>
 * dataset: casino_events
 * source: clickhouse            # or postgres
 * table: streamlake.casino_events
 * expectations:
 *   - type: not_null
 *     column: event_id
 *   - type: accepted_values
 *     column: game_activity
 *     values: [bet, win, bonus]
 *     severity: warn             # default error
 * </pre>
 * Every problem (malformed YAML, unknown type or key, a missing or ill-shaped parameter) is reported with the file and
 * line. Column names are checked against the database later, by {@link QualityRunner#validate}.
 */
public final class QualitySuiteLoader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");
    private static final Set<String> COMMON = Set.of("type", "name", "severity", "description");

    private final String file;
    private final YamlNodes yaml;

    private QualitySuiteLoader(String file) {
        this.file = file;
        this.yaml = new YamlNodes(file, QualityDefinitionException::new);
    }

    public static QualitySuite parse(String file, Reader reader) {
        return new QualitySuiteLoader(file).parse(reader);
    }

    private QualitySuite parse(Reader reader) {
        Node root = yaml.root(reader);
        Map<String, Node> top = yaml.mapping(root, "the suite", Set.of("dataset", "source", "table", "description", "expectations"));
        String dataset = yaml.scalar(yaml.required(top, "dataset", root), "the dataset name");
        Node sourceNode = yaml.required(top, "source", root);
        QualitySuite.Source source = switch (yaml.scalar(sourceNode, "the source").toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> QualitySuite.Source.POSTGRES;
            case "clickhouse" -> QualitySuite.Source.CLICKHOUSE;
            default -> throw yaml.error(sourceNode, "source must be postgres or clickhouse");
        };
        String table = yaml.scalar(yaml.required(top, "table", root), "the table");
        List<Expectation> expectations = new ArrayList<>();
        for (Node n : yaml.sequence(yaml.required(top, "expectations", root), "expectations")) {
            expectations.add(expectation(n));
        }
        if (expectations.isEmpty()) {
            throw yaml.error(root, "the suite declares no expectations");
        }
        return new QualitySuite(dataset, source, table, List.copyOf(expectations), file);
    }

    private Expectation expectation(Node n) {
        Map<String, Node> probe = yaml.mapping(n, "an expectation", allKeys());
        Node typeNode = yaml.required(probe, "type", n);
        String typeName = yaml.scalar(typeNode, "the expectation type");
        Expectation.Type type = Arrays.stream(Expectation.Type.values()).filter(t -> t.yamlName().equals(typeName)).findFirst()
                .orElseThrow(() -> yaml.error(typeNode, "unknown expectation type '" + typeName + "' (known: "
                        + Arrays.stream(Expectation.Type.values()).map(Expectation.Type::yamlName).toList() + ")"));
        Map<String, Node> e = yaml.mapping(n, "a " + typeName + " expectation", keys(type));
        Expectation.Severity severity = Expectation.Severity.ERROR;
        if (e.containsKey("severity")) {
            String s = yaml.scalar(e.get("severity"), "the severity").toLowerCase(Locale.ROOT);
            severity = switch (s) {
                case "warn", "warning" -> Expectation.Severity.WARN;
                case "error" -> Expectation.Severity.ERROR;
                default -> throw yaml.error(e.get("severity"), "severity must be warn or error");
            };
        }
        List<String> columns = List.of();
        if (e.containsKey("column")) {
            columns = List.of(yaml.scalar(e.get("column"), "a column"));
        } else if (e.containsKey("columns")) {
            columns = yaml.sequence(e.get("columns"), "columns").stream().map(c -> yaml.scalar(c, "a column")).toList();
        }
        boolean needsColumn = type != Expectation.Type.ROW_COUNT_BETWEEN && type != Expectation.Type.CUSTOM_SQL;
        if (needsColumn && columns.isEmpty()) {
            throw yaml.error(n, typeName + " needs 'column'" + (type == Expectation.Type.UNIQUE ? " or 'columns'" : ""));
        }
        List<String> values = List.of();
        BigDecimal min = null, max = null;
        String pattern = null, refTable = null, refColumn = null, sql = null;
        Duration maxAge = null;
        switch (type) {
            case ACCEPTED_VALUES -> {
                values = yaml.sequence(yaml.required(e, "values", n), "values").stream().map(v -> yaml.scalar(v, "a value")).toList();
                if (values.isEmpty()) {
                    throw yaml.error(e.get("values"), "accepted_values needs at least one value");
                }
            }
            case RANGE, ROW_COUNT_BETWEEN -> {
                min = e.containsKey("min") ? number(e.get("min")) : null;
                max = e.containsKey("max") ? number(e.get("max")) : null;
                if (min == null && max == null) {
                    throw yaml.error(n, typeName + " needs 'min', 'max' or both");
                }
                if (min != null && max != null && min.compareTo(max) > 0) {
                    throw yaml.error(n, typeName + ": min " + min + " is greater than max " + max);
                }
            }
            case REGEX -> {
                Node p = yaml.required(e, "pattern", n);
                pattern = yaml.scalar(p, "a regular expression");
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException bad) {
                    throw yaml.error(p, "pattern is not a valid regular expression: " + bad.getDescription());
                }
            }
            case FRESHNESS -> maxAge = duration(yaml.required(e, "max_age", n));
            case REFERENTIAL_INTEGRITY -> {
                Node ref = yaml.required(e, "references", n);
                Map<String, Node> r = yaml.mapping(ref, "references", Set.of("table", "column"));
                refTable = yaml.scalar(yaml.required(r, "table", ref), "the referenced table");
                refColumn = yaml.scalar(yaml.required(r, "column", ref), "the referenced column");
            }
            case CUSTOM_SQL -> {
                sql = yaml.scalar(yaml.required(e, "sql", n), "an SQL query returning the failing rows").strip();
                if (sql.endsWith(";")) {
                    sql = sql.substring(0, sql.length() - 1);
                }
                if (!e.containsKey("name")) {
                    throw yaml.error(n, "custom_sql needs a 'name'");
                }
            }
            default -> { }
        }
        String name = e.containsKey("name") ? yaml.scalar(e.get("name"), "a name")
                : typeName + (columns.isEmpty() ? "" : "(" + String.join(", ", columns) + ")");
        return new Expectation(type, name, severity, columns, values, min, max, pattern, maxAge, refTable, refColumn, sql,
                file + ":" + YamlNodes.line(n));
    }

    private static Set<String> keys(Expectation.Type type) {
        Set<String> k = new java.util.HashSet<>(COMMON);
        k.addAll(switch (type) {
            case NOT_NULL -> Set.of("column");
            case UNIQUE -> Set.of("column", "columns");
            case ACCEPTED_VALUES -> Set.of("column", "values");
            case RANGE -> Set.of("column", "min", "max");
            case REGEX -> Set.of("column", "pattern");
            case ROW_COUNT_BETWEEN -> Set.of("min", "max");
            case FRESHNESS -> Set.of("column", "max_age");
            case REFERENTIAL_INTEGRITY -> Set.of("column", "references");
            case CUSTOM_SQL -> Set.of("sql");
        });
        return k;
    }

    private static Set<String> allKeys() {
        Set<String> all = new java.util.HashSet<>();
        for (Expectation.Type t : Expectation.Type.values()) {
            all.addAll(keys(t));
        }
        return all;
    }

    private BigDecimal number(Node node) {
        String text = yaml.scalar(node, "a number");
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw yaml.error(node, "'" + text + "' is not a number");
        }
    }

    private Duration duration(Node node) {
        String text = yaml.scalar(node, "a duration like 30m, 2h or 1d");
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw yaml.error(node, "'" + text + "' is not a duration like 30s, 30m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
