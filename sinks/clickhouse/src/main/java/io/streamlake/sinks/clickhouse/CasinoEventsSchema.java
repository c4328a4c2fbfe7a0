package io.streamlake.sinks.clickhouse;

import io.streamlake.core.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The ClickHouse schema for casino events: the raw table and two materialized views for real-time
 * analytics. Created with IF NOT EXISTS, so bootstrapping is safe on every start.
 * <ul>
 *   <li>{@code <table>}: ReplacingMergeTree, one partition per month of activity_datetime, ordered by
 *       (customer_id, activity_datetime, event_id) for per-customer timelines. Idempotent on event_id twice
 *       over: a re-delivered event has the same sorting key, so merges keep one copy (read with FINAL for
 *       exact counts before merges), and each insert carries a deduplication token derived from the Kafka
 *       offsets it holds, so a batch retried after an ambiguous failure is dropped whole, before it reaches
 *       the views ({@code non_replicated_deduplication_window}).</li>
 *   <li>{@code <table>_game_minute}: per minute, game and currency: bets, wins, amounts and GGR
 *       (SummingMergeTree; query with sum() ... GROUP BY).</li>
 *   <li>{@code <table>_customer_totals}: per customer and currency running totals and last activity.</li>
 * </ul>
 */
public final class CasinoEventsSchema {

    private CasinoEventsSchema() {
    }

    static List<String> statements(SqlIdentifier database, SqlIdentifier table) {
        String db = database.clickHouse();
        String raw = db + "." + table.clickHouse();
        String gameMinute = db + "." + SqlIdentifier.of("table", table.name() + "_game_minute").clickHouse();
        String customerTotals = db + "." + SqlIdentifier.of("table", table.name() + "_customer_totals").clickHouse();
        String gameMinuteMv = db + "." + SqlIdentifier.of("table", table.name() + "_game_minute_mv").clickHouse();
        String customerTotalsMv = db + "." + SqlIdentifier.of("table", table.name() + "_customer_totals_mv").clickHouse();
        return List.of(
                "CREATE DATABASE IF NOT EXISTS " + db,
                "CREATE TABLE IF NOT EXISTS " + raw + " ("
                        + " event_id UUID,"
                        + " customer_id String,"
                        + " activity_datetime DateTime64(3, 'UTC'),"
                        + " game_activity LowCardinality(String),"
                        + " game_id LowCardinality(String) DEFAULT '',"
                        + " game_type LowCardinality(String) DEFAULT '',"
                        + " bet_amount Decimal(18, 4) DEFAULT 0,"
                        + " win_amount Decimal(18, 4) DEFAULT 0,"
                        + " bonus_amount Decimal(18, 4) DEFAULT 0,"
                        + " transaction_amount Decimal(18, 4) DEFAULT 0,"
                        + " currency LowCardinality(String) DEFAULT '',"
                        + " schema_version UInt16 DEFAULT 1,"
                        + " ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)"
                        + ") ENGINE = ReplacingMergeTree"
                        + " PARTITION BY toYYYYMM(activity_datetime)"
                        + " ORDER BY (customer_id, activity_datetime, event_id)"
                        + " SETTINGS non_replicated_deduplication_window = 10000",
                "CREATE TABLE IF NOT EXISTS " + gameMinute + " ("
                        + " minute DateTime('UTC'), game_type LowCardinality(String), game_id LowCardinality(String),"
                        + " currency LowCardinality(String), bets UInt64, wins UInt64, bet_amount Decimal(38, 4),"
                        + " win_amount Decimal(38, 4), bonus_amount Decimal(38, 4), ggr Decimal(38, 4)"
                        + ") ENGINE = SummingMergeTree PARTITION BY toYYYYMM(minute)"
                        + " ORDER BY (minute, game_type, game_id, currency)",
                // Source columns are qualified (e.x): ClickHouse resolves a bare name to a SELECT alias first.
                "CREATE MATERIALIZED VIEW IF NOT EXISTS " + gameMinuteMv + " TO " + gameMinute + " AS SELECT"
                        + " toStartOfMinute(e.activity_datetime) AS minute, e.game_type AS game_type,"
                        + " e.game_id AS game_id, e.currency AS currency,"
                        + " countIf(e.game_activity = 'bet') AS bets, countIf(e.game_activity = 'win') AS wins,"
                        + " sumIf(e.bet_amount, e.game_activity = 'bet') AS bet_amount,"
                        + " sumIf(e.win_amount, e.game_activity = 'win') AS win_amount,"
                        + " sum(e.bonus_amount) AS bonus_amount,"
                        + " bet_amount - win_amount - bonus_amount AS ggr"
                        + " FROM " + raw + " AS e WHERE e.game_activity IN ('bet', 'win', 'bonus')"
                        + " GROUP BY minute, game_type, game_id, currency",
                "CREATE TABLE IF NOT EXISTS " + customerTotals + " ("
                        + " customer_id String, currency LowCardinality(String), events UInt64, bets UInt64,"
                        + " bet_amount Decimal(38, 4), win_amount Decimal(38, 4), bonus_amount Decimal(38, 4),"
                        + " deposit_amount Decimal(38, 4), withdrawal_amount Decimal(38, 4),"
                        + " last_activity SimpleAggregateFunction(max, DateTime64(3, 'UTC'))"
                        + ") ENGINE = SummingMergeTree ORDER BY (customer_id, currency)",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS " + customerTotalsMv + " TO " + customerTotals + " AS SELECT"
                        + " e.customer_id AS customer_id, e.currency AS currency, count() AS events,"
                        + " countIf(e.game_activity = 'bet') AS bets,"
                        + " sumIf(e.bet_amount, e.game_activity = 'bet') AS bet_amount,"
                        + " sumIf(e.win_amount, e.game_activity = 'win') AS win_amount,"
                        + " sum(e.bonus_amount) AS bonus_amount,"
                        + " sumIf(e.transaction_amount, e.game_activity = 'deposit') AS deposit_amount,"
                        + " sumIf(e.transaction_amount, e.game_activity = 'withdrawal') AS withdrawal_amount,"
                        + " max(e.activity_datetime) AS last_activity"
                        + " FROM " + raw + " AS e GROUP BY customer_id, currency");
    }

    /** Creates what is missing; safe to run on every start and from several instances. */
    public static void bootstrap(Connection connection, SqlIdentifier database, SqlIdentifier table) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements(database, table)) {
                st.execute(sql);
            }
        }
    }
}
