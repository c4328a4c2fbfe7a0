package io.streamlake.tasks.etl;

import io.streamlake.common.sql.SqlIdentifier;

import java.util.List;

/**
 * The staging and warehouse tables. Staging rows carry the run (job instance) that copied them and their file and
 * line; the warehouse is a star: {@code dim_customer} (SCD type 2), {@code dim_game}, {@code dim_date} and
 * {@code fact_activity}, range-partitioned by month of {@code activity_datetime}, plus the ETL's own
 * {@code etl_runs}, {@code etl_rejects} and {@code etl_loaded_files}.
 */
public final class WarehouseSchema {

    final String staging;
    final String warehouse;

    public WarehouseSchema(String stagingSchema, String warehouseSchema) {
        this.staging = SqlIdentifier.of("staging schema", stagingSchema).postgres();
        this.warehouse = SqlIdentifier.of("warehouse schema", warehouseSchema).postgres();
    }

    public String staging(String table) {
        return staging + "." + table;
    }

    public String warehouse(String table) {
        return warehouse + "." + table;
    }

    public List<String> ddl() {
        String s = staging + ".";
        String w = warehouse + ".";
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + staging,
                "CREATE SCHEMA IF NOT EXISTS " + warehouse,
                "CREATE TABLE IF NOT EXISTS " + s + "activity (run_id bigint NOT NULL, file text NOT NULL, line bigint NOT NULL,"
                        + " event_id uuid NOT NULL, customer_id text NOT NULL, activity_datetime timestamptz NOT NULL,"
                        + " game_activity text NOT NULL, game_id text, game_type text, bet_amount numeric(18,2),"
                        + " win_amount numeric(18,2), bonus_amount numeric(18,2), transaction_amount numeric(18,2), currency char(3))",
                // date_key: dim_date's key of the row's UTC day, computed by the ETL (null in rows an older version staged)
                "ALTER TABLE " + s + "activity ADD COLUMN IF NOT EXISTS date_key integer",
                // No index on the activity rows: every copied row would pay for it, and a run's rows are read whole.
                "DROP INDEX IF EXISTS " + s + "activity_run",
                // The run's customers, games and months, collected while reading (RunKeys): the load reads these few
                // rows instead of grouping the run's activity rows again.
                "CREATE TABLE IF NOT EXISTS " + s + "activity_keys (run_id bigint NOT NULL, kind text NOT NULL, customer_id text,"
                        + " game_id text, month date, game_type text, first_at timestamptz, last_at timestamptz)",
                "CREATE TABLE IF NOT EXISTS " + s + "customers (run_id bigint NOT NULL, file text NOT NULL, line bigint NOT NULL,"
                        + " source text NOT NULL, customer_id text NOT NULL, name text, email text, country char(2), vip_level text,"
                        + " updated_at timestamptz NOT NULL)",
                "CREATE INDEX IF NOT EXISTS customers_run ON " + s + "customers (run_id)",
                "CREATE TABLE IF NOT EXISTS " + s + "games (run_id bigint NOT NULL, file text NOT NULL, line bigint NOT NULL,"
                        + " game_id text NOT NULL, name text, game_type text NOT NULL, provider text, rtp numeric(6,5))",
                "CREATE INDEX IF NOT EXISTS games_run ON " + s + "games (run_id)",
                "CREATE TABLE IF NOT EXISTS " + w + "etl_runs (run_id bigint PRIMARY KEY, job_execution_id bigint,"
                        + " started_at timestamptz NOT NULL, finished_at timestamptz, status text NOT NULL, sources text,"
                        + " rows_read bigint NOT NULL DEFAULT 0, rows_loaded bigint NOT NULL DEFAULT 0,"
                        + " rows_rejected bigint NOT NULL DEFAULT 0, duration_ms bigint)",
                "CREATE TABLE IF NOT EXISTS " + w + "etl_rejects (run_id bigint NOT NULL, source text NOT NULL, file text NOT NULL,"
                        + " line bigint NOT NULL, reason text NOT NULL, detail text, raw text,"
                        + " rejected_at timestamptz NOT NULL DEFAULT now())",
                "CREATE INDEX IF NOT EXISTS etl_rejects_run ON " + w + "etl_rejects (run_id, reason)",
                "CREATE TABLE IF NOT EXISTS " + w + "etl_loaded_files (sha256 text PRIMARY KEY, file_name text NOT NULL,"
                        + " size_bytes bigint NOT NULL, source text NOT NULL, run_id bigint NOT NULL,"
                        + " loaded_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS " + w + "dim_date (date_key integer PRIMARY KEY, date date NOT NULL UNIQUE,"
                        + " year smallint NOT NULL, quarter smallint NOT NULL, month smallint NOT NULL, day smallint NOT NULL,"
                        + " iso_day_of_week smallint NOT NULL, is_weekend boolean NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + w + "dim_game (game_id text PRIMARY KEY, name text, game_type text,"
                        + " provider text, rtp numeric(6,5), inferred boolean NOT NULL DEFAULT false,"
                        + " updated_run_id bigint NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + w + "dim_customer (customer_key bigserial PRIMARY KEY, customer_id text NOT NULL,"
                        + " name text, email text, country char(2), vip_level text, inferred boolean NOT NULL DEFAULT false,"
                        + " valid_from timestamptz NOT NULL, valid_to timestamptz, is_current boolean NOT NULL,"
                        + " run_id bigint NOT NULL)",
                "CREATE UNIQUE INDEX IF NOT EXISTS dim_customer_current ON " + w + "dim_customer (customer_id) WHERE is_current",
                "CREATE INDEX IF NOT EXISTS dim_customer_versions ON " + w + "dim_customer (customer_id, valid_from)",
                "CREATE TABLE IF NOT EXISTS " + w + "fact_activity (event_id uuid NOT NULL, activity_datetime timestamptz NOT NULL,"
                        + " date_key integer NOT NULL, customer_id text NOT NULL, customer_key bigint, game_id text,"
                        + " game_activity text NOT NULL, game_type text, bet_amount numeric(18,2), win_amount numeric(18,2),"
                        + " bonus_amount numeric(18,2), transaction_amount numeric(18,2), currency char(3), run_id bigint NOT NULL,"
                        + " PRIMARY KEY (event_id, activity_datetime)) PARTITION BY RANGE (activity_datetime)",
                "CREATE INDEX IF NOT EXISTS fact_activity_customer_time ON " + w + "fact_activity (customer_id, activity_datetime)",
                "CREATE INDEX IF NOT EXISTS fact_activity_game_date ON " + w + "fact_activity (game_id, date_key)");
    }
}
