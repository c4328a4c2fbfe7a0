package io.streamlake.serving.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The interaction reports as JSON, read from ClickHouse (the report table, FINAL: the latest run of each minute);
 * no Spring in here. One object per minute: its types with their numbers, and the anomalous types.
 */
final class InteractionReports {

    /** A request the API refuses, with its status. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static final String COLUMNS = "minute, interaction_type, events, errors, success_rate, error_rate, latency_p50,"
            + " latency_p95, latency_p99, error_rate_z, latency_z, score, anomaly, reason";

    private final String url;
    private final Properties credentials = new Properties();
    private final String table;
    private final Duration maxRange;

    InteractionReports(String url, String user, String password, String table, Duration maxRange) {
        this.url = url;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password == null ? "" : password);
        this.table = SqlIdentifier.of("report-api.report-table", table).clickHouse();
        this.maxRange = maxRange;
    }

    /** The latest minute reported, or null when there is none yet. */
    JsonNode latest() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, credentials);
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE minute = (SELECT max(minute) FROM "
                     + table + ") ORDER BY interaction_type")) {
            ArrayNode minutes = read(ps);
            return minutes.isEmpty() ? null : minutes.get(0);
        }
    }

    /** The minutes reported in [from, to), oldest first. */
    JsonNode range(String from, String to) throws SQLException {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start)) {
            throw new BadRequest("'to' must be after 'from'");
        }
        if (Duration.between(start, end).compareTo(maxRange) > 0) {
            throw new BadRequest("at most " + maxRange + " per request");
        }
        try (Connection c = DriverManager.getConnection(url, credentials);
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE minute >= ? AND minute < ?"
                     + " ORDER BY minute, interaction_type")) {
            ps.setObject(1, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
            ps.setObject(2, LocalDateTime.ofInstant(end, ZoneOffset.UTC));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("from", start.toString()).put("to", end.toString());
            out.set("reports", read(ps));
            return out;
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequest("'" + name + "' is required (ISO-8601, e.g. 2026-12-01T10:00:00Z)");
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadRequest("'" + name + "' is not an ISO-8601 instant: " + value);
        }
    }

    private static ArrayNode read(PreparedStatement ps) throws SQLException {
        Map<String, ObjectNode> minutes = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String minute = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
                ObjectNode m = minutes.computeIfAbsent(minute, k -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    node.put("minute", k);
                    node.putArray("anomalies");
                    node.putArray("types");
                    return node;
                });
                boolean anomaly = rs.getInt(13) == 1;
                if (anomaly) {
                    m.withArray("anomalies").add(rs.getString(2));
                }
                m.withArray("types").addObject().put("interaction_type", rs.getString(2)).put("events", rs.getLong(3))
                        .put("errors", rs.getLong(4)).put("success_rate", rs.getDouble(5)).put("error_rate", rs.getDouble(6))
                        .put("latency_p50", rs.getDouble(7)).put("latency_p95", rs.getDouble(8)).put("latency_p99", rs.getDouble(9))
                        .put("error_rate_z", rs.getDouble(10)).put("latency_z", rs.getDouble(11)).put("score", rs.getDouble(12))
                        .put("anomaly", anomaly).put("reason", rs.getString(14));
            }
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        minutes.values().forEach(out::add);
        return out;
    }
}
