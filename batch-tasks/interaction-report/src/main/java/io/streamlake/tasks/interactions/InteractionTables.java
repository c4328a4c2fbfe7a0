package io.streamlake.tasks.interactions;

import io.streamlake.common.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse side of the report: the minute's and the baseline's numbers from the interactions table, and the
 * report table (ReplacingMergeTree on (minute, interaction_type) by computed_at: a re-run of a minute replaces its rows,
 * read with FINAL).
 */
final class InteractionTables {

    private final String source;
    private final String reports;

    InteractionTables(InteractionReportProperties p) {
        this.source = SqlIdentifier.of("interaction-report.source-table", p.getSourceTable()).clickHouse();
        this.reports = SqlIdentifier.of("interaction-report.report-table", p.getReportTable()).clickHouse();
    }

    private static String at(Instant t) {
        return "toDateTime64('" + t.toString().replace("T", " ").replace("Z", "") + "', 3, 'UTC')";
    }

    /** The minute's numbers per interaction type. */
    Map<String, MinuteStats> minute(Connection c, Instant minute) throws SQLException {
        Map<String, MinuteStats> stats = new LinkedHashMap<>();
        String sql = "SELECT interaction_type, count(), countIf(status = 'error'), quantilesExact(0.5, 0.95, 0.99)(ifNull(latency_ms, 0))"
                + " FROM " + source + " FINAL WHERE timestamp >= " + at(minute) + " AND timestamp < "
                + at(minute.plus(1, ChronoUnit.MINUTES)) + " GROUP BY interaction_type";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Object[] q = (Object[]) rs.getArray(4).getArray();
                stats.put(rs.getString(1), new MinuteStats(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        ((Number) q[0]).doubleValue(), ((Number) q[1]).doubleValue(), ((Number) q[2]).doubleValue()));
            }
        }
        return stats;
    }

    /**
     * Per type, the numbers of each baseline minute that had events of it. A minute already reported (the task runs
     * every minute) is read from the report table: 60 small rows per type instead of an hour of interactions, and the
     * numbers the dashboard showed for it. Only the minutes without a report (the first hour, a gap in the schedule)
     * are computed from the interactions, where the p95 is a t-digest estimate (within about 1 % on these sizes) over
     * rows read without FINAL: the baseline only scales a z-score; the reported minute's numbers are exact.
     */
    Map<String, List<MinuteStats>> baseline(Connection c, Instant minute, int minutes) throws SQLException {
        Instant from = minute.minus(minutes, ChronoUnit.MINUTES);
        Map<String, List<MinuteStats>> baseline = new LinkedHashMap<>();
        java.util.Set<Instant> reported = new java.util.HashSet<>();
        String stored = "SELECT minute, interaction_type, events, errors, latency_p95 FROM " + reports + " FINAL WHERE minute >= "
                + at(from) + " AND minute < " + at(minute);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(stored)) {
            while (rs.next()) {
                reported.add(rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC));
                baseline.computeIfAbsent(rs.getString(2), t -> new ArrayList<>()).add(new MinuteStats(rs.getString(2),
                        rs.getLong(3), rs.getLong(4), 0, rs.getDouble(5), 0));
            }
        }
        Instant firstMissing = null;
        Instant lastMissing = null;
        for (Instant m = from; m.isBefore(minute); m = m.plus(1, ChronoUnit.MINUTES)) {
            if (!reported.contains(m)) {
                firstMissing = firstMissing == null ? m : firstMissing;
                lastMissing = m;
            }
        }
        if (firstMissing == null) {
            return baseline;
        }
        String sql = "SELECT interaction_type, toStartOfMinute(timestamp) AS m, count(), countIf(status = 'error'),"
                + " quantileTDigest(0.95)(ifNull(latency_ms, 0)) FROM " + source + " WHERE timestamp >= "
                + at(firstMissing) + " AND timestamp < " + at(lastMissing.plus(1, ChronoUnit.MINUTES))
                + " GROUP BY interaction_type, m";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Instant m = rs.getObject(2, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
                if (!reported.contains(m)) {
                    baseline.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new MinuteStats(rs.getString(1),
                            rs.getLong(3), rs.getLong(4), 0, rs.getDouble(5), 0));
                }
            }
        }
        return baseline;
    }

    void createReportTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + reports + " (minute DateTime('UTC'), interaction_type LowCardinality(String),"
                    + " events UInt64, errors UInt64, success_rate Float64, error_rate Float64, latency_p50 Float64,"
                    + " latency_p95 Float64, latency_p99 Float64, error_rate_z Float64, latency_z Float64, score Float64,"
                    + " anomaly UInt8, reason String, computed_at DateTime64(3, 'UTC'))"
                    + " ENGINE = ReplacingMergeTree(computed_at) ORDER BY (minute, interaction_type)");
        }
    }

    /** Writes the report's rows, replacing an earlier run's rows of the same minute and types. */
    void write(Connection c, List<InteractionReport.Row> rows, Instant computedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + reports + " (minute, interaction_type, events, errors,"
                + " success_rate, error_rate, latency_p50, latency_p95, latency_p99, error_rate_z, latency_z, score, anomaly,"
                + " reason, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (InteractionReport.Row r : rows) {
                ps.setObject(1, r.minute().atZone(java.time.ZoneOffset.UTC).toLocalDateTime());
                ps.setString(2, r.type());
                ps.setLong(3, r.events());
                ps.setLong(4, r.errors());
                ps.setDouble(5, r.successRate());
                ps.setDouble(6, r.errorRate());
                ps.setDouble(7, r.latencyP50());
                ps.setDouble(8, r.latencyP95());
                ps.setDouble(9, r.latencyP99());
                ps.setDouble(10, r.errorRateZ());
                ps.setDouble(11, r.latencyZ());
                ps.setDouble(12, r.score());
                ps.setInt(13, r.anomaly() ? 1 : 0);
                ps.setString(14, r.reason());
                ps.setObject(15, computedAt.atZone(java.time.ZoneOffset.UTC).toLocalDateTime());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The minute's interactions, for the Parquet extract. */
    String minuteRows(Instant minute) {
        return "SELECT * FROM " + source + " FINAL WHERE timestamp >= " + at(minute) + " AND timestamp < "
                + at(minute.plus(1, ChronoUnit.MINUTES)) + " ORDER BY timestamp, interaction_id";
    }
}
