package io.streamlake.tasks.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlake.common.sql.SqlIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results table in PostgreSQL: one row per run, dataset and expectation, with the observed value, pass/fail and
 * up to a few failing rows as JSON, so dashboards and later runs can query the history.
 */
final class QualityResults {

    /** A stored result, as the report reads it back. */
    record Row(String dataset, String source, String table, String expectation, String type, String severity, String observed,
               String expected, boolean passed, String sample, String declaredAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final String table;

    QualityResults(JdbcTemplate jdbc, String schema) {
        this.jdbc = jdbc;
        this.table = SqlIdentifier.of("results schema", schema).postgres() + ".quality_results";
        jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier.of("results schema", schema).postgres());
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " (run_id bigint NOT NULL, dataset text NOT NULL, source text NOT NULL,"
                + " table_name text NOT NULL, expectation text NOT NULL, expectation_type text NOT NULL, columns text,"
                + " severity text NOT NULL, observed text, expected text, passed boolean NOT NULL, failing_sample text,"
                + " declared_at text NOT NULL, checked_at timestamptz NOT NULL DEFAULT now())");
        jdbc.execute("CREATE INDEX IF NOT EXISTS quality_results_run ON " + table + " (run_id, dataset)");
    }

    /** Replaces the run's results for the suite (a restarted step writes them again). */
    void store(long runId, QualitySuite suite, List<QualityRunner.CheckResult> results) {
        jdbc.update("DELETE FROM " + table + " WHERE run_id = ? AND dataset = ?", runId, suite.dataset());
        for (QualityRunner.CheckResult r : results) {
            Expectation e = r.expectation();
            jdbc.update("INSERT INTO " + table + " (run_id, dataset, source, table_name, expectation, expectation_type, columns,"
                            + " severity, observed, expected, passed, failing_sample, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    runId, suite.dataset(), suite.source().name().toLowerCase(java.util.Locale.ROOT), suite.table(), e.name(),
                    e.type().yamlName(), String.join(",", e.columns()), e.severity().name().toLowerCase(java.util.Locale.ROOT),
                    r.observed(), r.expected(), r.passed(), sample(r), e.declaredAt());
        }
    }

    List<Row> run(long runId) {
        return jdbc.query("SELECT dataset, source, table_name, expectation, expectation_type, severity, observed, expected, passed,"
                        + " failing_sample, declared_at FROM " + table + " WHERE run_id = ? ORDER BY dataset, passed, declared_at",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), rs.getString(10), rs.getString(11)),
                runId);
    }

    long failedErrors(long runId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE run_id = ? AND NOT passed AND severity = 'error'",
                Long.class, runId);
        return n == null ? 0 : n;
    }

    private static String sample(QualityRunner.CheckResult r) {
        if (r.sampleRows().isEmpty()) {
            return null;
        }
        List<Map<String, String>> rows = r.sampleRows().stream().map(values -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(r.sampleColumns().get(i), values.get(i));
            }
            return row;
        }).toList();
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
