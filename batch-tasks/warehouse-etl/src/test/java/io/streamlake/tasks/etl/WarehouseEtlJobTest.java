package io.streamlake.tasks.etl;

import io.streamlake.common.http.FixtureApi;
import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole task against the real PostgreSQL and a real local HTTP API, launched as SCDF launches it. */
class WarehouseEtlJobTest {

    @TempDir
    Path input;
    private EtlLaunches etl;

    @AfterEach
    void dropSchemas() {
        if (etl != null) {
            etl.close();
        }
    }

    private void fixture(String name) throws IOException {
        fixture(name, name);
    }

    private void fixture(String name, String as) throws IOException {
        try (var in = getClass().getResourceAsStream("/fixtures/" + name)) {
            Files.copy(in, input.resolve(as));
        }
    }

    @Test
    void loadsFilesAndTheApiIntoTheStarSchemaThenVersionsCustomersAndIgnoresReloads() throws Exception {
        etl = new EtlLaunches(input);
        fixture("activity-2026-10.csv");
        fixture("customers-2026-10-01.csv");
        fixture("games.csv");
        try (FixtureApi api = new FixtureApi(Map.of(
                "1", "{\"data\":[{\"customer_id\":\"C3\",\"name\":\"Anna\",\"email\":\"anna@example.com\",\"country\":\"FR\","
                        + "\"vip_level\":\"silver\",\"updated_at\":\"2026-10-03T00:00:00Z\"},{\"customer_id\":\"C4\","
                        + "\"name\":\"Bo\",\"country\":\"SE\",\"vip_level\":\"bronze\",\"updated_at\":\"2026-10-02T00:00:00Z\"}],"
                        + "\"total_pages\":2}",
                "2", "{\"data\":[{\"customer_id\":\"C5\",\"country\":\"ZZ\",\"updated_at\":\"2026-10-02T00:00:00Z\"}],"
                        + "\"total_pages\":2}"))) {
            api.fail(new FixtureApi.Fault(429, "0", 0), FixtureApi.Fault.status(503));
            String apiUrl = "--warehouse-etl.api.url=" + api.url();
            String fastRetries = "--warehouse-etl.api.initial-backoff=10ms";

            assertThat(etl.launch(apiUrl, fastRetries)).isZero();

            assertThat(TestPostgres.rows("SELECT event_id, activity_datetime, date_key, customer_id, game_id, game_activity, game_type,"
                    + " bet_amount, win_amount, bonus_amount, transaction_amount, currency FROM " + wh("fact_activity")
                    + " ORDER BY event_id")).containsExactly(
                    "00000000-0000-4000-8000-000000000001|2026-10-05 10:00:00+00|20261005|C1|slots-1|bet|slots|10.00|null|null|null|EUR",
                    "00000000-0000-4000-8000-000000000002|2026-10-05 10:00:05+00|20261005|C1|slots-1|win|slots|10.00|25.50|null|null|EUR",
                    "00000000-0000-4000-8000-000000000003|2026-10-05 11:30:00+00|20261005|C2|null|deposit|null|null|null|null|1250.00|USD",
                    "00000000-0000-4000-8000-000000000004|2026-10-05 11:30:00+00|20261005|C2|roulette-7|bet|roulette|12.50|null|null|null|USD",
                    "00000000-0000-4000-8000-000000000005|2026-10-05 12:00:00+00|20261005|C3|null|login|null|null|null|null|null|null",
                    "00000000-0000-4000-8000-000000000006|2026-11-02 08:00:00.25+00|20261102|C9|slots-2|bonus|slots|null|null|5.00|null|EUR");
            assertThat(TestPostgres.rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"
                    + wh("fact_activity") + "'::regclass ORDER BY 1")).containsExactly("fact_activity_2026_10", "fact_activity_2026_11");
            // New months were loaded detached and attached: each has the parent's key and indexes, and no leftover check.
            assertThat(TestPostgres.rows("SELECT tablename, count(*) FROM pg_indexes WHERE schemaname = '" + etl.warehouse
                    + "' AND tablename LIKE 'fact_activity_2026_%' GROUP BY 1 ORDER BY 1"))
                    .containsExactly("fact_activity_2026_10|3", "fact_activity_2026_11|3");
            assertThat(TestPostgres.rows("SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%_bounds'"
                    + " AND connamespace = '" + etl.warehouse + "'::regnamespace"))
                    .containsExactly("0");
            assertThat(TestPostgres.rows("SELECT game_id, name, game_type, provider, rtp, inferred FROM " + wh("dim_game") + " ORDER BY game_id"))
                    .containsExactly("roulette-7|European Roulette, live|roulette|Evolution|0.97300|f",
                            "slots-1|Lucky Sevens|slots|NetEnt|0.96500|f",
                            "slots-2|null|slots|null|null|t");
            assertThat(TestPostgres.rows("SELECT customer_id, name, email, country, vip_level, inferred, valid_from, valid_to, is_current FROM "
                    + wh("dim_customer") + " ORDER BY customer_id, valid_from")).containsExactly(
                    "C1|Doe, Jane|jane@example.com|DE|gold|f|2026-10-01 00:00:00+00|null|t",
                    "C2|Max Mustermann|max@example.com|AT|silver|f|2026-10-01 00:00:00+00|null|t",
                    "C3|Anna|anna@example.com|FR|silver|f|2026-10-03 00:00:00+00|null|t",
                    "C4|Bo|null|SE|bronze|f|2026-10-02 00:00:00+00|null|t",
                    "C9|null|null|null|null|t|2026-11-02 08:00:00.25+00|null|t");
            assertThat(TestPostgres.rows("SELECT count(*), min(date), max(date), sum(is_weekend::int) FROM " + wh("dim_date")))
                    .containsExactly("29|2026-10-05|2026-11-02|8");
            assertThat(TestPostgres.rows("SELECT source, file, line, reason FROM " + wh("etl_rejects") + " ORDER BY source, line")).containsExactly(
                    "activity|activity-2026-10.csv|8|duplicate_event",
                    "profiles|" + api.url() + "|3|invalid_country");
            assertThat(TestPostgres.rows("SELECT status, rows_read, rows_loaded, rows_rejected FROM " + wh("etl_runs"))).containsExactly(
                    "COMPLETED|15|6|2");
            assertThat(api.requests).hasSize(4); // a 429 and a 503 retried, then two pages

            // Run 2: C2's tier changed on 10 October; C1's export repeats its data (only case and line endings differ).
            fixture("customers-2026-10-10.csv");
            assertThat(etl.launch()).isZero();
            assertThat(TestPostgres.rows("SELECT customer_id, vip_level, valid_from, valid_to, is_current FROM " + wh("dim_customer")
                    + " WHERE customer_id IN ('C1', 'C2') ORDER BY customer_id, valid_from")).containsExactly(
                    "C1|gold|2026-10-01 00:00:00+00|null|t",
                    "C2|silver|2026-10-01 00:00:00+00|2026-10-10 00:00:00+00|f",
                    "C2|gold|2026-10-10 00:00:00+00|null|t");
            assertThat(TestPostgres.rows("SELECT f.event_id, d.vip_level FROM " + wh("fact_activity") + " f JOIN " + wh("dim_customer")
                    + " d USING (customer_key) WHERE f.customer_id = 'C2' ORDER BY 1")).containsExactly(
                    "00000000-0000-4000-8000-000000000003|silver", "00000000-0000-4000-8000-000000000004|silver");

            // Run 3: the same files again, one under a new name: nothing changes.
            List<String> before = snapshot();
            fixture("activity-2026-10.csv", "activity-2026-10-copy.csv");
            assertThat(etl.launch()).isZero();
            assertThat(snapshot()).isEqualTo(before);
            assertThat(TestPostgres.rows("SELECT count(*) FROM " + wh("etl_runs") + " WHERE status = 'COMPLETED' AND rows_read = 0"))
                    .containsExactly("1");

            // Run 4: a resent export overlapping the warehouse: the known event is rejected, the new one loaded.
            fixture("activity-2026-10-resent.csv");
            assertThat(etl.launch()).isZero();
            assertThat(TestPostgres.rows("SELECT count(*) FROM " + wh("fact_activity"))).containsExactly("7");
            assertThat(TestPostgres.rows("SELECT file, line, reason, detail FROM " + wh("etl_rejects") + " WHERE file LIKE '%resent%'"))
                    .containsExactly("activity-2026-10-resent.csv|2|duplicate_event|event_id 00000000-0000-4000-8000-000000000001"
                            + " is already in the warehouse");
        }
    }

    @Test
    void everyBadRowIsRejectedWithItsFileLineAndReason() throws Exception {
        etl = new EtlLaunches(input);
        String header = "event_id,customer_id,activity_datetime,game_activity,game_id,game_type,bet_amount,win_amount,"
                + "bonus_amount,transaction_amount,currency\n";
        String ok = "00000000-0000-4000-8000-0000000000%02d,C1,2026-10-05T10:00:00Z,bet,slots-1,slots,%s,,,,%s\n";
        String activity = header
                + String.format(ok, 1, "1.00", "EUR")                                                   // 2 fine
                + "00000000-0000-4000-8000-000000000002,C1,2026-10-05T10:00:00Z,bet\n"                   // 3 malformed_row
                + "00000000-0000-4000-8000-000000000003,,2026-10-05T10:00:00Z,bet,slots-1,slots,1,,,,EUR\n" // 4 missing_field
                + "not-a-uuid,C1,2026-10-05T10:00:00Z,bet,slots-1,slots,1,,,,EUR\n"                      // 5 invalid_uuid
                + "00000000-0000-4000-8000-000000000005,C1,2026-02-30 10:00:00,bet,slots-1,slots,1,,,,EUR\n" // 6 invalid_date
                + String.format(ok, 6, "12.5x", "EUR")                                                  // 7 invalid_amount
                + String.format(ok, 7, "1.234", "EUR")                                                  // 8 invalid_amount
                + String.format(ok, 8, "-5.00", "EUR")                                                  // 9 negative_amount
                + "00000000-0000-4000-8000-000000000009,C1,2026-10-05T10:00:00Z,jackpot,slots-1,slots,1,,,,EUR\n" // 10
                + "00000000-0000-4000-8000-000000000010,C1,2026-10-05T10:00:00Z,bet,keno-1,keno,1,,,,EUR\n" // 11 unknown_game_type
                + String.format(ok, 11, "1.00", "EURO")                                                 // 12 invalid_currency
                + "00000000-0000-4000-8000-000000000012,C\0,2026-10-05T10:00:00Z,bet,slots-1,slots,1,,,,EUR\n" // 13 NUL
                + "\n"                                                                                   // 14 blank: not a record
                + String.format(ok, 1, "2.00", "EUR")                                                   // 15 duplicate_event
                + "00000000-0000-4000-8000-000000000014,C1,2026-10-05T10:00:00Z,bet,\"slots\n1\",slots,1,,,,EUR\n" // 16-17 quoted newline: fine
                + "00000000-0000-4000-8000-000000000015,\"C1,2026-10-05T10:00:00Z,bet,slots-1,slots,1,,,,EUR\n" // 18 unbalanced quote
                + String.format(ok, 16, "3.00", "EUR")                                                  // 19 swallowed by 18
                + String.format(ok, 17, "3.00", "EUR")                                                  // 20 swallowed: 3 lines
                + String.format(ok, 18, "3.00", "EUR")                                                  // 21 fine
                // the rules event-validator applies too (the casino contract): the win multiplier, its game types, money size
                + "00000000-0000-4000-8000-000000000020,C1,2026-10-05T10:00:00Z,win,r-1,roulette,1.00,36.01,,,EUR\n" // 22
                + "00000000-0000-4000-8000-000000000019,C1,2026-10-05T10:00:00Z,bet,lotto-1,lottery,2.00,,,,EUR\n" // 23 fine
                + String.format(ok, 21, "12345678901234567", "EUR");                                    // 24 invalid_amount
        Files.writeString(input.resolve("activity-bad.csv"), activity, StandardCharsets.UTF_8);
        Files.writeString(input.resolve("customers-bad.csv"), "customer_id,country,updated_at\nC1,XX,2026-10-01T00:00:00Z\n"
                + "C2,DE,\n", StandardCharsets.UTF_8);
        Files.writeString(input.resolve("games-bad.csv"), "game_id,game_type,rtp\nslots-1,slots,150%\n", StandardCharsets.UTF_8);

        assertThat(etl.launch("--warehouse-etl.max-record-lines=3")).isZero();

        assertThat(TestPostgres.rows("SELECT source, line, reason FROM " + wh("etl_rejects") + " ORDER BY source, line")).containsExactly(
                "activity|3|malformed_row", "activity|4|missing_field", "activity|5|invalid_uuid", "activity|6|invalid_date",
                "activity|7|invalid_amount", "activity|8|invalid_amount", "activity|9|negative_amount",
                "activity|10|unknown_activity", "activity|11|unknown_game_type", "activity|12|invalid_currency",
                "activity|13|invalid_character", "activity|15|duplicate_event", "activity|20|malformed_row",
                "activity|22|win_exceeds_max_multiplier", "activity|24|invalid_amount",
                "customers|2|invalid_country", "customers|3|missing_field", "games|2|out_of_range");
        assertThat(TestPostgres.rows("SELECT event_id, game_id FROM " + wh("fact_activity") + " ORDER BY 1")).containsExactly(
                "00000000-0000-4000-8000-000000000001|slots-1", "00000000-0000-4000-8000-000000000014|slots\n1",
                "00000000-0000-4000-8000-000000000018|slots-1", "00000000-0000-4000-8000-000000000019|lotto-1");
        assertThat(TestPostgres.rows("SELECT raw FROM " + wh("etl_rejects") + " WHERE line = 5")).containsExactly(
                "not-a-uuid,C1,2026-10-05T10:00:00Z,bet,slots-1,slots,1,,,,EUR");
    }

    @Test
    void aRunFailingMidStepIsRestartedFromItsLastCommittedChunkWithExactTotals() throws Exception {
        etl = new EtlLaunches(input);
        StringBuilder csv = new StringBuilder("event_id,customer_id,activity_datetime,game_activity,game_id,game_type,bet_amount,currency\n");
        for (int i = 0; i < 2_000; i++) {
            csv.append(String.format("00000000-0000-4000-8000-%012d,C%d,2026-10-%02dT12:00:00Z,bet,slots-1,slots,%d.25,EUR%n",
                    i, i % 37, 1 + i % 28, i));
        }
        Files.writeString(input.resolve("activity-big.csv"), csv);

        assertThat(etl.launch("--warehouse-etl.chunk-size=100", "--warehouse-etl.fail-after-chunks=5")).isEqualTo(1);
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + etl.staging + ".activity")).containsExactly("500");
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + wh("fact_activity"))).containsExactly("0");
        assertThat(TestPostgres.rows("SELECT status FROM " + wh("etl_runs"))).containsExactly("FAILED");

        assertThat(etl.launch("--warehouse-etl.chunk-size=100")).isZero();

        assertThat(TestPostgres.rows("SELECT count(*), count(DISTINCT event_id), sum(bet_amount) FROM " + wh("fact_activity")))
                .containsExactly("2000|2000|1999500.00");
        String repo = etl.repositorySchema;
        assertThat(TestPostgres.rows("SELECT count(DISTINCT job_instance_id), count(*) FROM " + repo + ".batch_job_execution"))
                .containsExactly("1|2");
        assertThat(TestPostgres.rows("SELECT s.status, s.read_count, s.write_count, s.commit_count FROM " + repo + ".batch_step_execution s"
                + " WHERE s.step_name = 'activity' ORDER BY s.step_execution_id")).containsExactly(
                "FAILED|600|500|5", "COMPLETED|1500|1500|16");
        assertThat(TestPostgres.rows("SELECT status, rows_read, rows_loaded, rows_rejected FROM " + wh("etl_runs"))).containsExactly(
                "COMPLETED|2000|2000|0");
        assertThat(TestPostgres.rows("SELECT exit_code FROM " + repo + ".task_execution ORDER BY task_execution_id")).containsExactly("1", "0");
    }

    @Test
    void eachEventGetsTheCustomerVersionValidAtItsTimeOrElseTheFirstVersion() throws Exception {
        etl = new EtlLaunches(input);
        Files.writeString(input.resolve("customers-a.csv"), "customer_id,vip_level,updated_at\nC1,silver,2026-10-10T00:00:00Z\n"
                + "C2,bronze,2026-10-01T00:00:00Z\n");
        Files.writeString(input.resolve("activity-a.csv"), "event_id,customer_id,activity_datetime,game_activity\n"
                + "00000000-0000-4000-8000-000000000001,C1,2026-10-05T10:00:00Z,login\n"   // before C1's only version
                + "00000000-0000-4000-8000-000000000002,C1,2026-10-12T10:00:00Z,login\n"
                + "00000000-0000-4000-8000-000000000003,C2,2026-10-05T10:00:00Z,login\n");
        assertThat(etl.launch()).isZero();
        Files.writeString(input.resolve("customers-b.csv"), "customer_id,vip_level,updated_at\nC1,gold,2026-10-20T00:00:00Z\n");
        Files.writeString(input.resolve("activity-b.csv"), "event_id,customer_id,activity_datetime,game_activity\n"
                + "00000000-0000-4000-8000-000000000004,C1,2026-10-01T10:00:00Z,login\n"   // before both of C1's versions
                + "00000000-0000-4000-8000-000000000005,C1,2026-10-15T10:00:00Z,login\n"
                + "00000000-0000-4000-8000-000000000006,C1,2026-10-21T10:00:00Z,login\n");
        assertThat(etl.launch()).isZero();

        assertThat(TestPostgres.rows("SELECT f.event_id, d.customer_id, d.vip_level FROM " + wh("fact_activity") + " f JOIN "
                + wh("dim_customer") + " d USING (customer_key) ORDER BY 1")).containsExactly(
                "00000000-0000-4000-8000-000000000001|C1|silver", "00000000-0000-4000-8000-000000000002|C1|silver",
                "00000000-0000-4000-8000-000000000003|C2|bronze", "00000000-0000-4000-8000-000000000004|C1|silver",
                "00000000-0000-4000-8000-000000000005|C1|silver", "00000000-0000-4000-8000-000000000006|C1|gold");
    }

    @Test
    void readsTheConfiguredEncodingAndArchivesMonthsPastTheRetentionAge() throws Exception {
        etl = new EtlLaunches(input);
        fixture("activity-2026-10.csv");
        Files.write(input.resolve("customers-latin1.csv"), "customer_id,name,country,updated_at\nC1,Jürgen Müller,DE,2026-10-01T00:00:00Z\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        java.time.Duration maxAge = java.time.Duration.between(java.time.Instant.parse("2026-11-15T00:00:00Z"), java.time.Instant.now());

        assertThat(etl.launch("--warehouse-etl.encoding=ISO-8859-1", "--warehouse-etl.retention.max-age=" + maxAge.toSeconds() + "s",
                "--warehouse-etl.retention.archive-schema=" + etl.warehouse + "_archive")).isZero();

        assertThat(TestPostgres.rows("SELECT name FROM " + wh("dim_customer") + " WHERE customer_id = 'C1'")).containsExactly("Jürgen Müller");
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + wh("fact_activity"))).containsExactly("1"); // November stays
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + etl.warehouse + "_archive.fact_activity_2026_10")).containsExactly("5");
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        etl = new EtlLaunches(input);
        Files.writeString(input.resolve("games-bom.csv"), "\uFEFFgame_id,game_type\nslots-9,slots\n", StandardCharsets.UTF_8);
        assertThat(etl.launch()).isZero();
        assertThat(TestPostgres.rows("SELECT game_id, game_type FROM " + wh("dim_game"))).containsExactly("slots-9|slots");
    }

    @Test
    void aDropFolderAFreshMachineLacksIsCreatedAndNothingIsLoaded() throws Exception {
        Path missing = input.resolve("not/yet/there");
        etl = new EtlLaunches(missing);
        assertThat(etl.launch()).isZero();
        assertThat(missing).isDirectory();
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + wh("fact_activity"))).containsExactly("0");
        Files.writeString(input.resolve("a-file"), "x");
        etl.close();
        etl = new EtlLaunches(input.resolve("a-file"));
        assertThat(etl.launch()).as("a file is not a folder: refused").isEqualTo(1);
    }

    private List<String> snapshot() throws SQLException {
        List<String> all = new ArrayList<>();
        for (String table : List.of("fact_activity", "dim_customer", "dim_game", "dim_date", "etl_rejects", "etl_loaded_files")) {
            all.addAll(TestPostgres.rows("SELECT t::text FROM " + wh(table) + " t ORDER BY 1"));
        }
        return all;
    }

    private String wh(String table) {
        return etl.warehouse + "." + table;
    }
}
