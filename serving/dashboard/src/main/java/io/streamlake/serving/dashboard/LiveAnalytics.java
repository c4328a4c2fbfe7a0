package io.streamlake.serving.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live page's numbers, read from what the clickhouse sink's materialized views already hold (nothing computed
 * again from raw events): bets and GGR per game type per minute from {@code <casino table>_game_minute}. As columns
 * for a chart: the minutes (epoch seconds) once, then per game type a value per minute (0 where it had none). No
 * Spring in here.
 */
final class LiveAnalytics {

    /** A request the API refuses, with the reason. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private final String url;
    private final Properties credentials = new Properties();
    private final String gameMinute;
    private final int maxMinutes;

    LiveAnalytics(String url, String user, String password, String casinoTable, int maxMinutes) {
        this.url = url;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password == null ? "" : password);
        this.gameMinute = SqlIdentifier.of("dashboard.casino-table", casinoTable + "_game_minute").clickHouse();
        this.maxMinutes = maxMinutes;
    }

    /** Bets and GGR per game type per minute over the last {@code minutes} complete and current minutes. */
    ObjectNode ggrByGameType(int minutes) throws SQLException {
        if (minutes < 1 || minutes > maxMinutes) {
            throw new BadRequest("minutes must be 1 to " + maxMinutes + ", not " + minutes);
        }
        // per (minute, game type): the SummingMergeTree's parts summed here, as its merges would
        TreeSet<Long> times = new TreeSet<>();
        Map<String, Map<Long, double[]>> byType = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, credentials);
             PreparedStatement ps = c.prepareStatement("SELECT toUnixTimestamp(minute) AS t, toString(game_type) AS type,"
                     + " sum(bets) AS bets, toFloat64(sum(ggr)) AS ggr FROM " + gameMinute
                     + " WHERE minute >= toStartOfMinute(now()) - toIntervalMinute(?) GROUP BY t, type ORDER BY t, type")) {
            ps.setInt(1, minutes - 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getLong(1);
                    times.add(t);
                    byType.computeIfAbsent(rs.getString(2), k -> new TreeMap<>()).put(t, new double[] {rs.getLong(3), rs.getDouble(4)});
                }
            }
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        out.put("minutes", minutes);
        ArrayNode t = out.putArray("times");
        List<Long> ordered = new ArrayList<>(times);
        ordered.forEach(t::add);
        ObjectNode series = out.putObject("game_types");
        for (Map.Entry<String, Map<Long, double[]>> e : byType.entrySet()) {
            ObjectNode type = series.putObject(e.getKey());
            ArrayNode bets = type.putArray("bets");
            ArrayNode ggr = type.putArray("ggr");
            for (long minute : ordered) {
                double[] v = e.getValue().getOrDefault(minute, new double[2]);
                bets.add((long) v[0]);
                ggr.add(v[1]);
            }
        }
        return out;
    }
}
