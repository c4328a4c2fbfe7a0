package io.streamlake.benchmarks;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestPostgres;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The task apps on 1M rows, each launched from its jar as SCDF's local deployer launches it:
 * <ul>
 *   <li>warehouse-etl: a generated 1M-row activity CSV from file to {@code fact_activity} (clean, COPY to staging,
 *       load with dimensions and monthly partitions), rows/s over the job's own duration (BATCH_JOB_EXECUTION start to
 *       end; JVM start-up excluded), beside, in the same run: {@code psql \copy} of the same file into an unlogged table;
 *       the SQL floor of the ETL's design (psql alone); and the pandas pipeline the systems this platform replaces
 *       would run (read_csv, the same cleaning rules, {@code DataFrame.to_sql} through SQLAlchemy and psycopg2 into
 *       the same warehouse tables, benchmarks/src/main/python/pandas_warehouse_etl.py, Debian's python3-pandas,
 *       python3-sqlalchemy and python3-psycopg2 run with /usr/bin/python3);</li>
 *   <li>data-quality: the shipped casino suites on 1M rows each (ClickHouse casino_events, PostgreSQL fact_activity),
 *       seconds of job duration.</li>
 * </ul>
 */
final class TasksBenchmark {

    private static final int ROWS = Integer.getInteger("bench.tasks.rows", 1_000_000);
    private static final int TRIALS = Integer.getInteger("bench.tasks.trials", 3);
    /** The generated activity starts here, an event every 7 seconds (so 1M rows span three months). */
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");

    private TasksBenchmark() {
    }

    static void run() throws Exception {
        Path work = Files.createTempDirectory("bench-tasks");
        Path input = Files.createDirectories(work.resolve("incoming"));
        Path csv = input.resolve("activity-bench.csv");
        generate(csv);
        System.out.printf("%ntasks benchmark: %d trials, %,d rows (%,d bytes of CSV), %d cores%n", TRIALS, ROWS, Files.size(csv),
                Runtime.getRuntime().availableProcessors());
        double[] copy = new double[TRIALS];
        double[] floor = new double[TRIALS];
        double[] etl = new double[TRIALS];
        double[] pandas = new double[TRIALS];
        double[] quality = new double[TRIALS];
        TaskLaunches tasks = new TaskLaunches("streamlake_bench_tasks");
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            fillCasinoEvents(clickhouse);
            for (int t = 0; t < TRIALS; t++) {
                tasks.recreate();
                settle(tasks);
                copy[t] = psqlCopy(tasks, "streamlake_bench_tasks", csv);
                tasks.recreate();
                settle(tasks);
                floor[t] = sqlFloor(tasks, "streamlake_bench_tasks", csv, work);
                tasks.recreate();
                settle(tasks);
                etl[t] = etl(tasks, input, work, t);
                quality[t] = quality(tasks, clickhouse, work, t);
                tasks.recreate();
                settle(tasks);
                pandas[t] = pandas(tasks, "streamlake_bench_tasks", csv, work, t);
                System.out.printf("trial %d: psql \\copy %,.0f rows/s, SQL floor %,.0f rows/s, warehouse-etl %,.0f rows/s,"
                        + " pandas %,.0f rows/s, data-quality %.1f s%n", t + 1, copy[t], floor[t], etl[t], pandas[t], quality[t]);
            }
        } finally {
            tasks.drop();
            Files.deleteIfExists(csv); // 100 MB; the logs stay in the work folder for a look afterwards
        }
        double c = Stats.median(copy);
        double e = Stats.median(etl);
        double f = Stats.median(floor);
        double pd = Stats.median(pandas);
        System.out.println();
        System.out.println("| measurement | median | anchor (median, same run) | ratio | goal |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| warehouse-etl, rows/s from CSV to fact_activity (1M rows) | %,.0f | SQL floor of the ETL's design: %,.0f rows/s"
                + " | %.2f | ≥ 0.6 |%n", e, f, e / f);
        System.out.printf("| warehouse-etl, rows/s from CSV to fact_activity (1M rows) | %,.0f | pandas read_csv + cleaning + to_sql:"
                + " %,.0f rows/s | %.1f× | ≥ 4× |%n", e, pd, e / pd);
        System.out.printf("| warehouse-etl, rows/s from CSV to fact_activity (1M rows) | %,.0f | psql \\copy into an unlogged table: %,.0f rows/s"
                + " | %.2f | (the old anchor) |%n", e, c, e / c);
        System.out.printf("| SQL floor of the ETL's design (psql: logged staging COPY, monthly partitions, key + 2 indexes) | %,.0f |"
                + " psql \\copy into an unlogged table: %,.0f rows/s | %.2f | (bound) |%n", f, c, f / c);
        System.out.printf("| data-quality, casino suites on 1M rows each (ClickHouse + PostgreSQL), job seconds | %.1f s | | | reported |%n",
                Stats.median(quality));
    }

    private static void generate(Path csv) throws IOException {
        Random random = new Random(5);
        String[] types = {"slots", "roulette", "blackjack", "poker", "sports", "baccarat"};
        Instant start = START;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("event_id,customer_id,activity_datetime,game_activity,game_id,game_type,bet_amount,win_amount,bonus_amount,"
                    + "transaction_amount,currency\n");
            for (int i = 0; i < ROWS; i++) {
                String type = types[random.nextInt(types.length)];
                boolean win = random.nextInt(3) == 0;
                String bet = (10 + random.nextInt(5000)) / 100 + "." + String.format("%02d", random.nextInt(100));
                w.write(new UUID(random.nextLong(), random.nextLong()) + ",C" + random.nextInt(50_000) + ","
                        + start.plusMillis(i * 7_000L + random.nextInt(1000)) + "," + (win ? "win" : "bet") + "," + type + "-"
                        + random.nextInt(40) + "," + type + "," + bet + "," + (win ? bet : "") + ",,,EUR\n");
            }
        }
    }

    private static double psqlCopy(TaskLaunches tasks, String database, Path csv) throws Exception {
        tasks.execute("CREATE UNLOGGED TABLE copy_anchor (event_id uuid, customer_id text, activity_datetime timestamptz,"
                + " game_activity text, game_id text, game_type text, bet_amount numeric(18,2), win_amount numeric(18,2),"
                + " bonus_amount numeric(18,2), transaction_amount numeric(18,2), currency char(3))");
        double rate = ROWS / psqlSeconds(database, "-qc", "\\copy copy_anchor from '" + csv + "' csv header");
        tasks.check("SELECT count(*) FROM copy_anchor", ROWS);
        return rate;
    }

    /**
     * The least any load of the ETL's design can take, with no application at all: psql alone does what the design
     * requires of PostgreSQL (the file by COPY into a logged staging table, then each month into a new table of the
     * partitioned fact table, attached with its primary key and two indexes), without cleaning, deduplication,
     * dimensions or a job repository. The tables mirror {@code WarehouseSchema}'s staging.activity and fact_activity.
     */
    private static double sqlFloor(TaskLaunches tasks, String database, Path csv, Path work) throws Exception {
        tasks.execute("CREATE TABLE floor_staging (run_id bigint NOT NULL DEFAULT 1, file text NOT NULL DEFAULT 'activity.csv',"
                + " line bigserial, event_id uuid NOT NULL, customer_id text NOT NULL, activity_datetime timestamptz NOT NULL,"
                + " game_activity text NOT NULL, game_id text, game_type text, bet_amount numeric(18,2), win_amount numeric(18,2),"
                + " bonus_amount numeric(18,2), transaction_amount numeric(18,2), currency char(3))");
        tasks.execute("CREATE TABLE floor_fact (event_id uuid NOT NULL, activity_datetime timestamptz NOT NULL, date_key integer NOT NULL,"
                + " customer_id text NOT NULL, customer_key bigint, game_id text, game_activity text NOT NULL, game_type text,"
                + " bet_amount numeric(18,2), win_amount numeric(18,2), bonus_amount numeric(18,2), transaction_amount numeric(18,2),"
                + " currency char(3), run_id bigint NOT NULL, PRIMARY KEY (event_id, activity_datetime)) PARTITION BY RANGE (activity_datetime)");
        tasks.execute("CREATE INDEX ON floor_fact (customer_id, activity_datetime)");
        tasks.execute("CREATE INDEX ON floor_fact (game_id, date_key)");
        StringBuilder script = new StringBuilder("\\set ON_ERROR_STOP on\n\\copy floor_staging (event_id, customer_id,"
                + " activity_datetime, game_activity, game_id, game_type, bet_amount, win_amount, bonus_amount, transaction_amount,"
                + " currency) from '" + csv + "' csv header\nBEGIN;\nSET LOCAL work_mem = '256MB';\nSET LOCAL maintenance_work_mem = '256MB';\n");
        java.time.YearMonth first = java.time.YearMonth.from(START.atZone(java.time.ZoneOffset.UTC));
        java.time.YearMonth last = java.time.YearMonth.from(START.plusMillis(ROWS * 7_000L).atZone(java.time.ZoneOffset.UTC));
        for (java.time.YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            String table = "floor_" + m.toString().replace('-', '_');
            String from = "'" + m.atDay(1) + " 00:00:00+00'";
            String to = "'" + m.plusMonths(1).atDay(1) + " 00:00:00+00'";
            script.append("CREATE TABLE ").append(table).append(" (LIKE floor_fact INCLUDING DEFAULTS);\n")
                    .append("INSERT INTO ").append(table).append(" SELECT event_id, activity_datetime, to_char(activity_datetime AT TIME ZONE")
                    .append(" 'UTC', 'YYYYMMDD')::int, customer_id, NULL, game_id, game_activity, game_type, bet_amount, win_amount,")
                    .append(" bonus_amount, transaction_amount, currency, run_id FROM floor_staging WHERE activity_datetime >= ").append(from)
                    .append(" AND activity_datetime < ").append(to).append(";\n")
                    .append("ALTER TABLE floor_fact ATTACH PARTITION ").append(table).append(" FOR VALUES FROM (").append(from)
                    .append(") TO (").append(to).append(");\n");
        }
        script.append("COMMIT;\n");
        Path file = work.resolve("sql-floor.sql");
        Files.writeString(file, script);
        double rate = ROWS / psqlSeconds(database, "-q", "-f", file.toString());
        tasks.check("SELECT count(*) FROM floor_fact", ROWS);
        return rate;
    }

    /**
     * Lets every contender start from a quiet disk: the writes of the one before (a million logged rows and their
     * indexes: WAL, then the kernel's dirty pages) are flushed first, so no part pays for the previous one's.
     */
    private static void settle(TaskLaunches tasks) throws Exception {
        tasks.execute("CHECKPOINT");
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
        Thread.sleep(1_000);
    }

    /** Runs psql against the benchmark's database; its wall time in seconds, process start-up included. */
    private static double psqlSeconds(String database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql", "-h", "127.0.0.1", "-U", TestPostgres.user(), "-d", database));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql " + String.join(" ", args) + " failed: " + out);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double etl(TaskLaunches tasks, Path input, Path work, int trial) throws Exception {
        int exit = tasks.launch(StreamAppProcess.appJar("batch-tasks/warehouse-etl", "warehouse-etl"), work.resolve("etl-" + trial + ".log"),
                "--warehouse-etl.input-dir=" + input).exit();
        if (exit != 0) {
            throw new IllegalStateException("warehouse-etl exited " + exit + "; see " + work.resolve("etl-" + trial + ".log"));
        }
        tasks.check("SELECT count(*) FROM warehouse.fact_activity", ROWS);
        return ROWS / tasks.jobSeconds("warehouse-etl");
    }

    /**
     * The pandas pipeline on the same file into the same warehouse tables (fact_activity partitioned by month, its key
     * and two indexes; etl_rejects), in a fresh database: rows read per second of its own end-to-end time (Python
     * start-up and imports excluded, as the ETL's JVM start-up is). pandas' default to_sql method: at 200k rows it was
     * 3.3 times as fast as method='multi' with these Debian versions (pandas 1.5, SQLAlchemy 1.4).
     */
    private static double pandas(TaskLaunches tasks, String database, Path csv, Path work, int trial) throws Exception {
        Path script = io.streamlake.clickhouse.embedded.ProjectRoot.find().orElseThrow()
                .resolve("benchmarks/src/main/python/pandas_warehouse_etl.py");
        Path log = work.resolve("pandas-" + trial + ".log");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--csv", csv.toString(),
                "--dsn", "postgresql+psycopg2://" + TestPostgres.user() + "@127.0.0.1:5432/" + database, "--schema", "warehouse",
                "--method", "default").redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the pandas pipeline failed (is python3-pandas, python3-sqlalchemy and python3-psycopg2"
                    + " installed?); see " + log + ": " + out);
        }
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        if (result.path("rows_loaded").asLong() != ROWS) {
            throw new IllegalStateException("the pandas pipeline loaded " + result.path("rows_loaded") + " rows, not " + ROWS + ": " + out);
        }
        tasks.check("SELECT count(*) FROM warehouse.fact_activity", ROWS);
        return result.path("rows_read").asLong() / result.path("seconds").asDouble();
    }

    private static double quality(TaskLaunches tasks, EmbeddedClickHouse clickhouse, Path work, int trial) throws Exception {
        int exit = tasks.launch(StreamAppProcess.appJar("batch-tasks/data-quality", "data-quality"), work.resolve("dq-" + trial + ".log"),
                "--data-quality.clickhouse.url=" + clickhouse.jdbcUrl("streamlake"),
                "--data-quality.report-dir=" + work.resolve("reports")).exit();
        if (exit != 0 && exit != 2) {
            throw new IllegalStateException("data-quality exited " + exit + "; see " + work.resolve("dq-" + trial + ".log"));
        }
        tasks.check("SELECT count(*) FROM quality.quality_results", 16);
        return tasks.jobSeconds("data-quality");
    }


    /** 1M casino events in the embedded ClickHouse, in the table the clickhouse sink creates. */
    private static void fillCasinoEvents(EmbeddedClickHouse clickhouse) {
        clickhouse.query("CREATE DATABASE IF NOT EXISTS streamlake");
        clickhouse.query("CREATE TABLE streamlake.casino_events (event_id UUID, customer_id String,"
                + " activity_datetime DateTime64(3, 'UTC'), game_activity LowCardinality(String), game_id LowCardinality(String),"
                + " game_type LowCardinality(String), bet_amount Decimal(18, 4), win_amount Decimal(18, 4),"
                + " bonus_amount Decimal(18, 4), transaction_amount Decimal(18, 4), currency LowCardinality(String),"
                + " schema_version UInt16, ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree"
                + " PARTITION BY toYYYYMM(activity_datetime) ORDER BY (customer_id, activity_datetime, event_id)");
        clickhouse.query("INSERT INTO streamlake.casino_events (event_id, customer_id, activity_datetime, game_activity, game_id,"
                + " game_type, bet_amount, win_amount, bonus_amount, transaction_amount, currency, schema_version)"
                + " SELECT generateUUIDv4(), concat('C', toString(number % 50000)), now64(3) - (number % 86400),"
                + " if(number % 3 = 0, 'win', 'bet'), concat('slots-', toString(number % 40)), 'slots', (number % 5000) / 100,"
                + " if(number % 3 = 0, (number % 5000) / 50, 0), 0, 0, 'EUR', 1 FROM numbers(" + ROWS + ")");
    }







}
