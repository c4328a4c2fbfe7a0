package io.streamlake.tasks.fraud;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.features.offline.OfflineViewQuery;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The labelled examples as a ClickHouse entity table for the point-in-time join: one row per labelled event of the
 * chosen activities within the window, in time order ({@code __row}), with its time ({@code __ts}), customer, own
 * fields and label ({@code kind}). A sample by event id when there are more than wanted: the same events every run,
 * so a challenger and the champion are compared on the same rows. Spring-free.
 */
final class TrainingExamples {

    /** The entity table's columns as the training set shows them, in order. */
    static final List<String> COLUMNS = List.of("event_id", "customer_id", "event_time", "game_activity", "bet_amount",
            "win_amount", "bonus_amount", "kind", "game_type");

    private final String events;
    private final String label;
    private final List<String> activities;
    private final Instant from;
    private final Instant to;

    TrainingExamples(String eventsTable, String labelColumn, List<String> activities, Instant from, Instant to) {
        this.events = SqlIdentifier.of("events-table", eventsTable).clickHouse();
        this.label = SqlIdentifier.of("label-column", labelColumn).clickHouse();
        if (activities.isEmpty()) {
            throw new IllegalArgumentException("activities: name at least one (e.g. bet, win, bonus)");
        }
        this.activities = activities.stream().map(a -> {
            if (!a.matches("[a-z_]+")) {
                throw new IllegalArgumentException("activities: '" + a + "' is not an activity name");
            }
            return a;
        }).toList();
        this.from = from;
        this.to = to;
    }

    private String where() {
        return " WHERE " + label + " != '' AND game_activity IN ("
                + activities.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", ")) + ")"
                + (from == null ? "" : " AND activity_datetime >= " + OfflineViewQuery.timestamp(from))
                + " AND activity_datetime < " + OfflineViewQuery.timestamp(to);
    }

    /** How many labelled events there are. */
    String count() {
        return "SELECT count() FROM " + events + " FINAL" + where();
    }

    /** The entity table with at most about {@code max} of {@code total} examples. */
    String create(String table, long total, long max) {
        String sample = total <= max ? "" : " AND cityHash64(event_id) % 1000000 < " + Math.max(1, max * 1_000_000 / total);
        return "CREATE TABLE " + table + " ENGINE = MergeTree ORDER BY __row AS SELECT"
                + " toUInt64(row_number() OVER (ORDER BY activity_datetime, event_id)) AS __row, activity_datetime AS __ts,"
                + " toString(event_id) AS event_id, customer_id, activity_datetime AS event_time,"
                + " toString(game_activity) AS game_activity, toFloat64(bet_amount) AS bet_amount,"
                + " toFloat64(win_amount) AS win_amount, toFloat64(bonus_amount) AS bonus_amount, toString(" + label + ") AS kind,"
                + " toString(game_type) AS game_type"
                + " FROM " + events + " FINAL" + where() + sample;
    }
}
