package io.streamlake.sinks.clickhouse;

import io.streamlake.common.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ClickHouse schema for casino events: the raw table and two materialized views for real-time
 * analytics, behind a gate that lets each event_id in once. Created with IF NOT EXISTS, so bootstrapping is safe on
 * every start.
 * <ul>
 *   <li>{@code <table>_ingest} (Null engine) is what writers insert into; its materialized view {@code <table>_gate_mv}
 *       passes on to the raw table only the rows whose event_id is neither earlier in the same insert nor in
 *       {@code <table>_ids} (EmbeddedRocksDB keyed by event_id, filled from the raw table, looked up key by key, entries
 *       kept for {@code unique-id-window}). So whatever a producer does (a restarted source re-sending ids with new
 *       timestamps, a replayed topic, another customer under the same id), an event_id becomes one raw row and one
 *       count in each view: the first copy wins. Why a gate and not a sorting key: ReplacingMergeTree merges only rows
 *       with the same sorting key in the same partition, and a sorting key of event_id alone would make the
 *       per-customer and per-time queries scan everything; views are fed per insert and cannot be merged after the
 *       fact. What it costs: a key lookup and a key write per row (BENCHMARKS.md). What it cannot see: two copies of
 *       a new id inserted at the same instant by two writers (two sink instances with the same id under two customers,
 *       i.e. in two partitions), and an id first seen longer than the window ago.</li>
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

    /** The raw table's columns, in order: the gate passes them on by name. */
    private static final List<String> COLUMNS = List.of("event_id", "customer_id", "activity_datetime", "game_activity",
            "game_id", "game_type", "bet_amount", "win_amount", "bonus_amount", "transaction_amount", "currency",
            "schema_version", "ingested_at", "ground_truth");

    /**
     * The column the simulator's labels land in (the sink's header-columns): for training, never a feature (the
     * feature views name their columns). '' for events without a label.
     */
    static final String LABEL_COLUMN = "ground_truth";
    private static final String LABEL_TYPE = "LowCardinality(String) DEFAULT ''";

    /** The table writers insert into when the raw table has the gate. */
    static SqlIdentifier ingestTable(SqlIdentifier table) {
        return SqlIdentifier.of("table", table.name() + "_ingest");
    }

    static List<String> statements(SqlIdentifier database, SqlIdentifier table) {
        return statements(database, table, Duration.ofDays(35));
    }

    /** The schema; with {@code uniqueIdWindow} null, without the gate. */
    static List<String> statements(SqlIdentifier database, SqlIdentifier table, Duration uniqueIdWindow) {
        String db = database.clickHouse();
        String raw = db + "." + table.clickHouse();
        String gameMinute = db + "." + SqlIdentifier.of("table", table.name() + "_game_minute").clickHouse();
        String customerTotals = db + "." + SqlIdentifier.of("table", table.name() + "_customer_totals").clickHouse();
        String gameMinuteMv = db + "." + SqlIdentifier.of("table", table.name() + "_game_minute_mv").clickHouse();
        String customerTotalsMv = db + "." + SqlIdentifier.of("table", table.name() + "_customer_totals_mv").clickHouse();
        String ingest = db + "." + ingestTable(table).clickHouse();
        String ids = db + "." + SqlIdentifier.of("table", table.name() + "_ids").clickHouse();
        String idsMv = db + "." + SqlIdentifier.of("table", table.name() + "_ids_mv").clickHouse();
        String gateMv = db + "." + SqlIdentifier.of("table", table.name() + "_gate_mv").clickHouse();
        String passOn = String.join(", ", COLUMNS.stream().map(c -> "i." + c + " AS " + c).toList());
        List<String> statements = new ArrayList<>(List.of(
                "CREATE DATABASE IF NOT EXISTS " + db,
                "CREATE TABLE IF NOT EXISTS " + raw + " ("
                        + " event_id UUID,"
                        + " customer_id String,"
                        + " activity_datetime DateTime64(3, 'UTC'),"
                        + " game_activity LowCardinality(String),"
                        + " game_id LowCardinality(String) DEFAULT '',"
                        + " game_type LowCardinality(String) DEFAULT '',"
                        + " bet_amount Decimal(18, 2) DEFAULT 0,"
                        + " win_amount Decimal(18, 2) DEFAULT 0,"
                        + " bonus_amount Decimal(18, 2) DEFAULT 0,"
                        + " transaction_amount Decimal(18, 2) DEFAULT 0,"
                        + " currency LowCardinality(String) DEFAULT '',"
                        + " schema_version UInt16 DEFAULT 1,"
                        + " ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),"
                        + " " + LABEL_COLUMN + " " + LABEL_TYPE
                        + ") ENGINE = ReplacingMergeTree"
                        + " PARTITION BY toYYYYMM(activity_datetime)"
                        + " ORDER BY (customer_id, activity_datetime, event_id)"
                        + " SETTINGS non_replicated_deduplication_window = 10000",
                "CREATE TABLE IF NOT EXISTS " + gameMinute + " ("
                        + " minute DateTime('UTC'), game_type LowCardinality(String), game_id LowCardinality(String),"
                        + " currency LowCardinality(String), bets UInt64, wins UInt64, bet_amount Decimal(38, 2),"
                        + " win_amount Decimal(38, 2), bonus_amount Decimal(38, 2), ggr Decimal(38, 2)"
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
                        + " bet_amount Decimal(38, 2), win_amount Decimal(38, 2), bonus_amount Decimal(38, 2),"
                        + " deposit_amount Decimal(38, 2), withdrawal_amount Decimal(38, 2),"
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
                        + " FROM " + raw + " AS e GROUP BY customer_id, currency"));
        if (uniqueIdWindow != null) {
            statements.addAll(List.of(
                // Every event_id the raw table holds, for key lookups (RocksDB: on disk, entries expire after the window).
                "CREATE TABLE IF NOT EXISTS " + ids + " (event_id UUID, seen UInt8 DEFAULT 1)"
                        + " ENGINE = EmbeddedRocksDB(" + uniqueIdWindow.toSeconds() + ") PRIMARY KEY event_id",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS " + idsMv + " TO " + ids + " AS SELECT e.event_id AS event_id,"
                        + " toUInt8(1) AS seen FROM " + raw + " AS e",
                "CREATE TABLE IF NOT EXISTS " + ingest + " AS " + raw + " ENGINE = Null",
                // The left join on the RocksDB key is a key lookup per row (direct join): unknown ids read seen = 0.
                "CREATE MATERIALIZED VIEW IF NOT EXISTS " + gateMv + " TO " + raw + " AS SELECT " + passOn
                        + " FROM (SELECT * FROM " + ingest + " LIMIT 1 BY event_id) AS i"
                        + " LEFT JOIN " + ids + " AS d ON i.event_id = d.event_id WHERE d.seen = 0"));
        }
        return statements;
    }

    /**
     * Creates what is missing; safe to run on every start and from several instances. With {@code uniqueIdWindow}
     * (the gate wanted), a raw table created before the gate existed gets its ids copied into the new id table, so the
     * gate knows them too; with null, no gate is created.
     */
    public static void bootstrap(Connection connection, SqlIdentifier database, SqlIdentifier table, Duration uniqueIdWindow)
            throws SQLException {
        String ids = database.clickHouse() + "." + SqlIdentifier.of("table", table.name() + "_ids").clickHouse();
        try (Statement st = connection.createStatement()) {
            boolean hadIds = exists(st, ids);
            String raw = database.clickHouse() + "." + table.clickHouse();
            String ingest = database.clickHouse() + "." + ingestTable(table).clickHouse();
            boolean hadRaw = exists(st, raw);
            for (String sql : statements(database, table, uniqueIdWindow)) {
                st.execute(sql);
            }
            if (hadRaw) { // a table from before the label column: it gets it, and so does the gate's ingest table
                st.execute("ALTER TABLE " + raw + " ADD COLUMN IF NOT EXISTS " + LABEL_COLUMN + " " + LABEL_TYPE);
                if (exists(st, ingest)) {
                    st.execute("ALTER TABLE " + ingest + " ADD COLUMN IF NOT EXISTS " + LABEL_COLUMN + " " + LABEL_TYPE);
                }
            }
            if (uniqueIdWindow != null && !hadIds) {
                st.execute("INSERT INTO " + ids + " (event_id) SELECT DISTINCT event_id FROM "
                        + database.clickHouse() + "." + table.clickHouse());
            }
        }
    }

    /**
     * Whether the gate (when there is one) passes the label column on: a gate created before the column existed does
     * not, and is not replaced here (dropping it even for a moment would lose what is inserted meanwhile: its ingest
     * table keeps nothing). README: how to recreate it.
     */
    static boolean gatePassesLabels(Connection connection, SqlIdentifier database, SqlIdentifier table) throws SQLException {
        try (var ps = connection.prepareStatement(
                "SELECT create_table_query FROM system.tables WHERE database = ? AND name = ?")) {
            ps.setString(1, database.name());
            ps.setString(2, table.name() + "_gate_mv");
            try (var rs = ps.executeQuery()) {
                return !rs.next() || rs.getString(1).contains(LABEL_COLUMN);
            }
        }
    }

    /** True when the table exists. */
    static boolean exists(Statement st, String qualifiedTable) throws SQLException {
        try (var rs = st.executeQuery("EXISTS TABLE " + qualifiedTable)) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }
}
