package io.streamlake.tasks.materialization;

import io.streamlake.common.sql.SqlIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Per-view watermarks (the end of the last successful run) and consistency-check results, in PostgreSQL. */
final class MaterializationState {

    private final JdbcTemplate jdbc;
    private final String watermarks;
    private final String consistency;

    MaterializationState(JdbcTemplate jdbc, String schema) {
        this.jdbc = jdbc;
        String s = SqlIdentifier.of("state schema", schema).postgres();
        this.watermarks = s + ".materialization_watermarks";
        this.consistency = s + ".feature_consistency";
        jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + s);
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + watermarks + " (feature_view text PRIMARY KEY, watermark timestamptz NOT NULL,"
                + " run_id bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + consistency + " (run_id bigint NOT NULL, feature_view text NOT NULL,"
                + " entity text NOT NULL, feature text NOT NULL, online text, offline text, matched boolean NOT NULL,"
                + " checked_at timestamptz NOT NULL DEFAULT now())");
    }

    Instant watermark(String view) {
        List<Timestamp> w = jdbc.queryForList("SELECT watermark FROM " + watermarks + " WHERE feature_view = ?", Timestamp.class, view);
        return w.isEmpty() ? null : w.get(0).toInstant();
    }

    /** Moves the view's watermark forward to {@code end} (never back). */
    void advance(String view, Instant end, long runId) {
        jdbc.update("INSERT INTO " + watermarks + " (feature_view, watermark, run_id) VALUES (?, ?, ?) ON CONFLICT (feature_view)"
                + " DO UPDATE SET watermark = greatest(" + watermarks + ".watermark, excluded.watermark), run_id = excluded.run_id,"
                + " updated_at = now()", view, Timestamp.from(end), runId);
    }

    void recordComparison(long runId, String view, String entity, String feature, String online, String offline, boolean matched) {
        jdbc.update("INSERT INTO " + consistency + " (run_id, feature_view, entity, feature, online, offline, matched)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", runId, view, entity, feature, online, offline, matched);
    }

    long mismatches(long runId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM " + consistency + " WHERE run_id = ? AND NOT matched", Long.class, runId);
        return n == null ? 0 : n;
    }
}
