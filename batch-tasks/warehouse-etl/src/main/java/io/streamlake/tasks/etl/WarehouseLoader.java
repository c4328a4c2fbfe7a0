package io.streamlake.tasks.etl;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves one run's staged rows into the warehouse, in the caller's transaction (all or nothing):
 * <ol>
 *   <li>events: the run's staged rows (later occurrences of an {@code event_id} within the run were already rejected
 *       while reading); events the warehouse already holds go to the rejects as {@code duplicate_event};</li>
 *   <li>a monthly partition of {@code fact_activity} for every month the events fall in (a new month is loaded
 *       detached and attached with its indexes built in bulk), and {@code dim_date} rows for every day;</li>
 *   <li>{@code dim_game}: the latest row per game (type 1); games only seen in activity are added as inferred;</li>
 *   <li>{@code dim_customer}: the latest staged row per customer (API rows win ties over CSV); when its attributes
 *       differ from the current version and it is newer, the current version is closed at its {@code updated_at} and
 *       a new one opened (SCD type 2); customers only seen in activity are added as inferred;</li>
 *   <li>{@code fact_activity} with the customer version valid at each event's time (or the earliest version);</li>
 *   <li>the run's staging rows are deleted.</li>
 * </ol>
 * Re-running it for the same rows changes nothing: every insert is guarded by what is already there.
 */
final class WarehouseLoader {

    /** What a load did. */
    record Result(long factsLoaded, long duplicatesRejected, long customersVersioned, long gamesUpserted) {
    }

    private final JdbcTemplate jdbc;
    private final WarehouseSchema schema;
    private final String workMem;

    /** @param workMem PostgreSQL's work_mem and maintenance_work_mem for the load, already validated (e.g. 256MB) */
    WarehouseLoader(JdbcTemplate jdbc, WarehouseSchema schema, String workMem) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.workMem = workMem;
    }

    Result load(long runId) {
        String sa = schema.staging("activity");
        String sc = schema.staging("customers");
        String sg = schema.staging("games");
        String rejects = schema.warehouse("etl_rejects");
        String fact = schema.warehouse("fact_activity");
        String dimCustomer = schema.warehouse("dim_customer");
        String dimGame = schema.warehouse("dim_game");

        jdbc.execute("SET LOCAL work_mem = '" + workMem + "'");
        // A million freshly copied rows may have no statistics yet: without them the joins below go row by row.
        jdbc.execute("ANALYZE " + sa);
        // Duplicates within the run were rejected while reading (RunDuplicateFilter); here, events the warehouse holds.
        long duplicates = jdbc.update("INSERT INTO " + rejects + " (run_id, source, file, line, reason, detail)"
                + " SELECT a.run_id, 'activity', a.file, a.line, 'duplicate_event', 'event_id ' || a.event_id"
                + " || ' is already in the warehouse' FROM " + sa + " a WHERE a.run_id = ? AND EXISTS (SELECT 1 FROM " + fact
                + " f WHERE f.event_id = a.event_id)", runId);
        String fresh = "l.run_id = " + runId + (duplicates == 0 ? ""
                : " AND NOT EXISTS (SELECT 1 FROM " + fact + " f WHERE f.event_id = l.event_id)");

        // The keys the dimensions and partitions need: as the activity step collected them (RunKeys), unless some of the
        // run's rows turned out to be in the warehouse already, or the step did not write them; else one pass over the
        // run's rows.
        String keys = schema.staging("activity_keys");
        Boolean collected = duplicates > 0 ? Boolean.FALSE
                : jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + keys + " WHERE run_id = ?)", Boolean.class, runId);
        if (Boolean.TRUE.equals(collected)) {
            jdbc.update("CREATE TEMP TABLE load_keys ON COMMIT DROP AS SELECT kind, customer_id, game_id, month, game_type, first_at,"
                    + " last_at FROM " + keys + " WHERE run_id = ?", runId);
        } else {
            jdbc.update("CREATE TEMP TABLE load_keys ON COMMIT DROP AS SELECT CASE WHEN GROUPING(l.customer_id) = 0 THEN 'customer'"
                    + " WHEN GROUPING(l.game_id) = 0 THEN 'game' ELSE 'month' END AS kind, l.customer_id, l.game_id,"
                    + " date_trunc('month', l.activity_datetime AT TIME ZONE 'UTC')::date AS month, min(l.game_type) AS game_type,"
                    + " min(l.activity_datetime) AS first_at, max(l.activity_datetime) AS last_at FROM " + sa + " l WHERE " + fresh
                    + " GROUP BY GROUPING SETS ((l.customer_id), (l.game_id), (date_trunc('month', l.activity_datetime AT TIME ZONE 'UTC')::date))");
        }
        jdbc.execute("ANALYZE load_keys");

        List<LocalDate> months = jdbc.queryForList("SELECT month FROM load_keys WHERE kind = 'month' ORDER BY month", LocalDate.class);
        // A month the warehouse does not have yet is loaded into a plain table and attached afterwards: its primary key
        // and indexes are then built once, in bulk, instead of maintained row by row (much the larger cost of a
        // month's load). The bounds check added first lets the attach skip its validation scan.
        List<LocalDate> newMonths = new ArrayList<>();
        for (LocalDate month : months) {
            Boolean exists = jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, partition(month));
            if (!Boolean.TRUE.equals(exists)) {
                jdbc.execute("CREATE TABLE " + partition(month) + " (LIKE " + fact + " INCLUDING DEFAULTS)");
                jdbc.execute("ALTER TABLE " + partition(month) + " ADD CONSTRAINT " + boundsConstraint(month)
                        + " CHECK (" + inMonth("activity_datetime", month) + ")");
                newMonths.add(month);
            }
        }
        jdbc.update("INSERT INTO " + schema.warehouse("dim_date") + " SELECT to_char(d, 'YYYYMMDD')::int, d,"
                + " extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(day FROM d),"
                + " extract(isodow FROM d), extract(isodow FROM d) >= 6 FROM (SELECT generate_series(min(first_at AT TIME ZONE 'UTC')::date,"
                + " max(last_at AT TIME ZONE 'UTC')::date, interval '1 day')::date AS d FROM load_keys WHERE kind = 'month') days"
                + " ON CONFLICT (date_key) DO NOTHING");

        long games = jdbc.update("INSERT INTO " + dimGame + " (game_id, name, game_type, provider, rtp, inferred, updated_run_id)"
                + " SELECT DISTINCT ON (game_id) game_id, name, game_type, provider, rtp, false, run_id FROM " + sg
                + " WHERE run_id = ? ORDER BY game_id, file DESC, line DESC ON CONFLICT (game_id) DO UPDATE SET"
                + " name = excluded.name, game_type = excluded.game_type, provider = excluded.provider, rtp = excluded.rtp,"
                + " inferred = false, updated_run_id = excluded.updated_run_id WHERE (" + "dim_game.name, dim_game.game_type,"
                + " dim_game.provider, dim_game.rtp, dim_game.inferred) IS DISTINCT FROM (excluded.name, excluded.game_type,"
                + " excluded.provider, excluded.rtp, false)", runId);
        jdbc.update("INSERT INTO " + dimGame + " (game_id, game_type, inferred, updated_run_id) SELECT game_id, game_type, true, ?"
                + " FROM load_keys WHERE kind = 'game' AND game_id IS NOT NULL ON CONFLICT (game_id) DO NOTHING", runId);

        jdbc.update("CREATE TEMP TABLE load_customers ON COMMIT DROP AS SELECT DISTINCT ON (customer_id) customer_id, name,"
                + " email, country, vip_level, updated_at FROM " + sc + " WHERE run_id = ?"
                + " ORDER BY customer_id, updated_at DESC, (source = 'api') DESC, file DESC, line DESC", runId);
        jdbc.execute("ANALYZE load_customers");
        long versioned = jdbc.update("UPDATE " + dimCustomer + " d SET valid_to = c.updated_at, is_current = false"
                + " FROM load_customers c WHERE d.customer_id = c.customer_id AND d.is_current AND c.updated_at > d.valid_from"
                + " AND (d.name, d.email, d.country, d.vip_level, d.inferred) IS DISTINCT FROM"
                + " (c.name, c.email, c.country, c.vip_level, false)");
        versioned += jdbc.update("INSERT INTO " + dimCustomer + " (customer_id, name, email, country, vip_level, inferred,"
                + " valid_from, valid_to, is_current, run_id) SELECT c.customer_id, c.name, c.email, c.country, c.vip_level,"
                + " false, c.updated_at, NULL, true, ? FROM load_customers c WHERE NOT EXISTS (SELECT 1 FROM " + dimCustomer
                + " d WHERE d.customer_id = c.customer_id AND d.is_current)", runId);
        jdbc.update("INSERT INTO " + dimCustomer + " (customer_id, inferred, valid_from, valid_to, is_current, run_id)"
                + " SELECT k.customer_id, true, k.first_at, NULL, true, ? FROM load_keys k WHERE k.kind = 'customer' AND NOT EXISTS"
                + " (SELECT 1 FROM " + dimCustomer + " d WHERE d.customer_id = k.customer_id)", runId);
        jdbc.execute("ANALYZE " + dimCustomer); // it may have grown by every customer of the run

        // One pass over the run's rows: each fact with the customer version valid at the event's time (versions never
        // overlap), else the customer's first version, routed to its new month's table or to fact_activity.
        String columns = "event_id, activity_datetime, date_key, customer_id, customer_key, game_id, game_activity, game_type,"
                + " bet_amount, win_amount, bonus_amount, transaction_amount, currency, run_id";
        StringBuilder sql = new StringBuilder("WITH facts AS MATERIALIZED (SELECT l.event_id, l.activity_datetime,"
                + " coalesce(l.date_key, to_char(l.activity_datetime AT TIME ZONE 'UTC', 'YYYYMMDD')::int) AS date_key, l.customer_id,"
                // the first version is looked up only for the few events older than every version of their customer
                + " coalesce(v.customer_key, (SELECT f.customer_key FROM " + dimCustomer + " f WHERE f.customer_id = l.customer_id"
                + " ORDER BY f.valid_from LIMIT 1)) AS customer_key, l.game_id, l.game_activity, l.game_type, l.bet_amount,"
                + " l.win_amount, l.bonus_amount, l.transaction_amount, l.currency, l.run_id FROM " + sa + " l"
                + " LEFT JOIN " + dimCustomer + " v ON v.customer_id = l.customer_id AND v.valid_from <= l.activity_datetime"
                + " AND (v.valid_to IS NULL OR l.activity_datetime < v.valid_to) WHERE " + fresh + ")");
        StringBuilder elsewhere = new StringBuilder("true");
        for (int i = 0; i < newMonths.size(); i++) {
            LocalDate month = newMonths.get(i);
            sql.append(", month").append(i).append(" AS (INSERT INTO ").append(partition(month)).append(" (").append(columns)
                    .append(") SELECT ").append(columns).append(" FROM facts WHERE ").append(inMonth("activity_datetime", month))
                    .append(')');
            elsewhere.append(" AND NOT (").append(inMonth("activity_datetime", month)).append(')');
        }
        if (newMonths.size() < months.size()) {
            sql.append(", existing AS (INSERT INTO ").append(fact).append(" (").append(columns).append(") SELECT ").append(columns)
                    .append(" FROM facts WHERE ").append(elsewhere).append(')');
        }
        sql.append(" SELECT count(*) FROM facts");
        Long loaded = jdbc.queryForObject(sql.toString(), Long.class);
        jdbc.execute("SET LOCAL maintenance_work_mem = '" + workMem + "'"); // the attaches below build each month's indexes
        for (LocalDate month : newMonths) {
            jdbc.execute("ALTER TABLE " + fact + " ATTACH PARTITION " + partition(month) + " FOR VALUES FROM ('"
                    + month + " 00:00:00+00') TO ('" + month.plusMonths(1) + " 00:00:00+00')");
            jdbc.execute("ALTER TABLE " + partition(month) + " DROP CONSTRAINT " + boundsConstraint(month));
        }

        for (String staged : List.of(sa, sc, sg, keys)) {
            Boolean others = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + staged + " WHERE run_id <> ?)", Boolean.class, runId);
            if (Boolean.TRUE.equals(others)) {
                jdbc.update("DELETE FROM " + staged + " WHERE run_id = ?", runId);
            } else {
                jdbc.execute("TRUNCATE " + staged); // only this run's rows: much cheaper than deleting a million of them
            }
        }
        return new Result(loaded == null ? 0 : loaded, duplicates, versioned, games);
    }

    private static String inMonth(String column, LocalDate month) {
        return column + " >= '" + month + " 00:00:00+00' AND " + column + " < '" + month.plusMonths(1) + " 00:00:00+00'";
    }

    private static String boundsConstraint(LocalDate month) {
        return "fact_activity_" + month.format(DateTimeFormatter.ofPattern("yyyy_MM")) + "_bounds";
    }

    private String partition(LocalDate month) {
        return schema.warehouse("fact_activity_" + month.format(DateTimeFormatter.ofPattern("yyyy_MM")));
    }
}
