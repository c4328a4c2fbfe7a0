package io.streamlake.tasks.quality;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a suite's expectations as SQL on its database. Most checks count the failing rows (0 passes) and fetch a few of
 * them as samples; {@code row_count_between} and {@code freshness} observe a number. Spring-free.
 */
public final class QualityRunner {

    /** The outcome of one expectation. */
    public record CheckResult(Expectation expectation, String observed, String expected, boolean passed,
                              List<String> sampleColumns, List<List<String>> sampleRows) {
    }

    private final int sampleRows;
    private final Clock clock;

    public QualityRunner(int sampleRows, Clock clock) {
        this.sampleRows = sampleRows;
        this.clock = clock;
    }

    /** Fails with {@code file:line} when a table or column the suite names does not exist (custom SQL is run as is). */
    public void validate(QualitySuite suite, Connection c) throws SQLException {
        SqlDialect dialect = SqlDialect.of(suite.source());
        Set<String> columns = columns(c, dialect, suite.table());
        if (columns.isEmpty()) {
            throw new QualityDefinitionException(suite.file() + ": table '" + suite.table() + "' does not exist in "
                    + suite.source().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Expectation e : suite.expectations()) {
            for (String column : e.columns()) {
                if (!columns.contains(column)) {
                    throw new QualityDefinitionException(e.declaredAt() + ": unknown column '" + column + "' in " + suite.table()
                            + " (columns: " + columns.stream().sorted().collect(Collectors.joining(", ")) + ")");
                }
            }
            if (e.referencedTable() != null) {
                Set<String> referenced = columns(c, dialect, e.referencedTable());
                if (!referenced.contains(e.referencedColumn())) {
                    throw new QualityDefinitionException(e.declaredAt() + ": referenced column '" + e.referencedColumn()
                            + "' does not exist in " + e.referencedTable());
                }
            }
        }
    }

    public List<CheckResult> run(QualitySuite suite, Connection c) throws SQLException {
        SqlDialect d = SqlDialect.of(suite.source());
        String t = d.table(suite.table());
        List<CheckResult> results = new ArrayList<>();
        for (Expectation e : suite.expectations()) {
            String col = e.column() == null ? null : d.ident(e.column());
            results.add(switch (e.type()) {
                case NOT_NULL -> failingRows(c, e, "SELECT * FROM " + t + " WHERE " + col + " IS NULL");
                case UNIQUE -> {
                    String cols = e.columns().stream().map(d::ident).collect(Collectors.joining(", "));
                    yield failingRows(c, e, "SELECT " + cols + ", count(*) AS occurrences FROM " + t + " GROUP BY " + cols
                            + " HAVING count(*) > 1");
                }
                case ACCEPTED_VALUES -> failingRows(c, e, "SELECT * FROM " + t + " WHERE " + col + " IS NOT NULL AND "
                        + d.text(col) + " NOT IN (" + e.values().stream().map(d::literal).collect(Collectors.joining(", ")) + ")");
                case RANGE -> failingRows(c, e, "SELECT * FROM " + t + " WHERE " + String.join(" OR ",
                        bounds(col, e)));
                case REGEX -> failingRows(c, e, "SELECT * FROM " + t + " WHERE " + col + " IS NOT NULL AND NOT ("
                        + d.matches(col, e.pattern()) + ")");
                case REFERENTIAL_INTEGRITY -> {
                    String ref = d.ident(e.referencedColumn());
                    yield failingRows(c, e, "SELECT * FROM " + t + " WHERE " + col + " IS NOT NULL AND " + col + " NOT IN (SELECT "
                            + ref + " FROM " + d.table(e.referencedTable()) + " WHERE " + ref + " IS NOT NULL)");
                }
                case CUSTOM_SQL -> failingRows(c, e, e.sql());
                case ROW_COUNT_BETWEEN -> {
                    long n = number(c, "SELECT count(*) FROM " + t);
                    boolean ok = (e.min() == null || e.min().longValue() <= n) && (e.max() == null || n <= e.max().longValue());
                    yield new CheckResult(e, n + " rows", between(e), ok, List.of(), List.of());
                }
                case FRESHNESS -> {
                    String newest = scalar(c, "SELECT " + d.epochSeconds("max(" + col + ")") + " FROM " + t);
                    if (newest == null) {
                        yield new CheckResult(e, "no rows", "newest row at most " + human(e.maxAge()) + " old", false, List.of(), List.of());
                    }
                    Instant at = Instant.ofEpochSecond(Long.parseLong(newest));
                    Duration age = Duration.between(at, clock.instant());
                    yield new CheckResult(e, "newest " + at + " (" + human(age) + " old)", "at most " + human(e.maxAge()) + " old",
                            age.compareTo(e.maxAge()) <= 0, List.of(), List.of());
                }
            });
        }
        return results;
    }

    private static List<String> bounds(String col, Expectation e) {
        List<String> b = new ArrayList<>();
        if (e.min() != null) {
            b.add(col + " < " + e.min().toPlainString());
        }
        if (e.max() != null) {
            b.add(col + " > " + e.max().toPlainString());
        }
        return b;
    }

    private CheckResult failingRows(Connection c, Expectation e, String failingRowsQuery) throws SQLException {
        long failing = number(c, "SELECT count(*) FROM (" + failingRowsQuery + ") failing");
        List<String> columns = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        if (failing > 0 && sampleRows > 0) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT * FROM (" + failingRowsQuery + ") failing LIMIT " + sampleRows)) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return new CheckResult(e, failing + " failing rows", "0 failing rows", failing == 0, columns, rows);
    }

    private static String between(Expectation e) {
        return e.min() == null ? "at most " + e.max() : e.max() == null ? "at least " + e.min() : "between " + e.min()
                + " and " + e.max();
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 && s > 0 ? s / 86_400 + "d" : s % 3600 == 0 && s > 0 ? s / 3600 + "h"
                : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }

    private static long number(Connection c, String sql) throws SQLException {
        String v = scalar(c, sql);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Set<String> columns(Connection c, SqlDialect d, String qualified) throws SQLException {
        int dot = qualified.indexOf('.');
        String schema = dot < 0 ? null : qualified.substring(0, dot);
        String table = dot < 0 ? qualified : qualified.substring(dot + 1);
        Set<String> names = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(d.columnsQuery(schema, table))) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
