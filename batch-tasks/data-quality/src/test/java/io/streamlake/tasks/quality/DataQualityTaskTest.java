package io.streamlake.tasks.quality;

import io.streamlake.testsupport.TestClickHouse;
import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The task against the real PostgreSQL and the embedded ClickHouse: pass and fail runs, and bad suites failing fast. */
class DataQualityTaskTest {

    @TempDir
    Path dir;
    private String repo;
    private String data;
    private String results;
    private String clickhouse;

    /** A launch's exit code, and the failure's message when it did not start. */
    record Launch(int exitCode, String failure) {
    }

    @BeforeEach
    void databases() throws Exception {
        repo = TestPostgres.createSchema("dq_repo");
        data = TestPostgres.createSchema("dq_data");
        results = TestPostgres.createSchema("dq_results");
        clickhouse = TestClickHouse.createDatabase("dq");
        TestPostgres.run("CREATE TABLE " + data + ".dim_game (game_id text PRIMARY KEY)",
                "INSERT INTO " + data + ".dim_game VALUES ('slots-1'), ('roulette-7')",
                "CREATE TABLE " + data + ".fact (event_id int, customer_id text, game_id text, currency text, bet_amount numeric,"
                        + " activity_datetime timestamptz)",
                "INSERT INTO " + data + ".fact VALUES (1, 'C1', 'slots-1', 'EUR', 10, now() - interval '5 minutes'),"
                        + " (2, 'C2', 'roulette-7', 'USD', 20, now() - interval '1 minute'), (3, 'C2', NULL, 'EUR', 0, now())");
        TestClickHouse.shared().query(clickhouse, "CREATE TABLE events (event_id UInt32, customer_id Nullable(String),"
                + " game_activity String, currency String, bet_amount Decimal(18, 4), win_amount Decimal(18, 4),"
                + " activity_datetime DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY event_id");
        TestClickHouse.shared().query(clickhouse, "INSERT INTO events VALUES (1, 'C1', 'bet', 'EUR', 10, 0, now64(3)),"
                + " (2, 'C1', 'win', 'EUR', 10, 25, now64(3)), (3, 'C2', 'login', '', 0, 0, now64(3) - 60)");
        Files.writeString(dir.resolve("fact.yaml"), "dataset: fact\nsource: postgres\ntable: " + data + ".fact\nexpectations:\n"
                + "  - {type: row_count_between, min: 1, max: 1000}\n"
                + "  - {type: not_null, column: customer_id}\n"
                + "  - {type: unique, column: event_id}\n"
                + "  - {type: accepted_values, column: currency, values: [EUR, USD]}\n"
                + "  - {type: range, column: bet_amount, min: 0, max: 1000}\n"
                + "  - {type: regex, column: customer_id, pattern: '^C[0-9]+$'}\n"
                + "  - {type: freshness, column: activity_datetime, max_age: 1h}\n"
                + "  - {type: referential_integrity, column: game_id, references: {table: " + data + ".dim_game, column: game_id}}\n"
                + "  - {type: custom_sql, name: bets_of_known_customers, severity: warn, sql: \"SELECT * FROM " + data
                + ".fact WHERE customer_id NOT LIKE 'C%'\"}\n");
        Files.writeString(dir.resolve("events.yaml"), "dataset: events\nsource: clickhouse\ntable: " + clickhouse + ".events\n"
                + "expectations:\n"
                + "  - {type: not_null, column: customer_id}\n"
                + "  - {type: unique, columns: [event_id]}\n"
                + "  - {type: accepted_values, column: game_activity, values: [bet, win, login]}\n"
                + "  - {type: range, column: win_amount, min: 0}\n"
                + "  - {type: regex, column: currency, pattern: '^([A-Z]{3})?$'}\n"
                + "  - {type: freshness, column: activity_datetime, max_age: 30m}\n"
                + "  - {type: row_count_between, min: 1}\n"
                + "  - {type: custom_sql, name: wins_within_1000x, sql: \"SELECT * FROM " + clickhouse
                + ".events WHERE game_activity = 'win' AND win_amount > bet_amount * 1000\"}\n");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropSchema(repo);
        TestPostgres.dropSchema(data);
        TestPostgres.dropSchema(results);
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + clickhouse);
    }

    @Test
    void aCleanRunPassesEveryExpectationOnBothDatabases() throws Exception {
        String alerts = io.streamlake.testsupport.KafkaTestBroker.createTopic("dq_alerts", 1);
        assertThat(launch(alertsTo(alerts))).isEqualTo(new Launch(0, null));
        assertThat(io.streamlake.testsupport.TopicReader.endOffsets(alerts)).as("no alert for a run that passed").isZero();
        assertThat(TestPostgres.rows("SELECT dataset, count(*), sum(passed::int) FROM " + results + ".quality_results GROUP BY dataset ORDER BY 1"))
                .containsExactly("events|8|8", "fact|9|9");
        assertThat(Files.readString(dir.resolve("reports/quality-report-run-1.md"))).contains("17 expectations, 17 passed", "**PASSED**");
    }

    @Test
    void failingErrorExpectationsExitWith2AndAreReportedWithSampleRows() throws Exception {
        TestPostgres.run("INSERT INTO " + data + ".fact VALUES (3, NULL, 'blackjack-1', 'GBP', -5, now()), (4, 'X9', 'slots-1', 'EUR', 1, now())");
        TestClickHouse.shared().query(clickhouse, "INSERT INTO events VALUES (2, NULL, 'jackpot', 'eur', 1, 0, now64(3)),"
                + " (4, 'C3', 'win', 'EUR', 1, 5000, now64(3))");

        String alerts = io.streamlake.testsupport.KafkaTestBroker.createTopic("dq_alerts", 1);
        assertThat(launch(alertsTo(alerts)).exitCode()).isEqualTo(2);
        // What SCDF shows, and what a composed task's transition ('EXPECTATIONS_FAILED'->...) reads.
        assertThat(TestPostgres.rows("SELECT exit_code, exit_message FROM " + repo + ".task_execution")).containsExactly("2|EXPECTATIONS_FAILED");
        // ... and the operational alert the alert sink takes (platform-task's TaskAlerts)
        var published = io.streamlake.testsupport.TopicReader.read(alerts, 1, java.time.Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        io.streamlake.core.alert.Alert alert = io.streamlake.core.alert.Alert.parse(published.get(0).value());
        assertThat(alert.kind()).isEqualTo("task_problem");
        assertThat(alert.key()).isEqualTo("data-quality");
        assertThat(alert.severity()).isEqualTo(io.streamlake.core.alert.Alert.Severity.WARNING);
        assertThat(alert.reasons()).containsExactly("EXPECTATIONS_FAILED");
        assertThat(alert.details().get("exit_code").asInt()).isEqualTo(2);

        assertThat(TestPostgres.rows("SELECT dataset, expectation, severity, observed FROM " + results + ".quality_results WHERE NOT passed"
                + " ORDER BY dataset, expectation")).containsExactly(
                "events|accepted_values(game_activity)|error|1 failing rows",
                "events|not_null(customer_id)|error|1 failing rows",
                "events|regex(currency)|error|1 failing rows",
                "events|unique(event_id)|error|1 failing rows",
                "events|wins_within_1000x|error|1 failing rows",
                "fact|accepted_values(currency)|error|1 failing rows",
                "fact|bets_of_known_customers|warn|1 failing rows",
                "fact|not_null(customer_id)|error|1 failing rows",
                "fact|range(bet_amount)|error|1 failing rows",
                "fact|referential_integrity(game_id)|error|1 failing rows",
                "fact|regex(customer_id)|error|1 failing rows",
                "fact|unique(event_id)|error|1 failing rows");
        assertThat(TestPostgres.rows("SELECT failing_sample FROM " + results + ".quality_results WHERE expectation = 'range(bet_amount)'"))
                .singleElement().asString().contains("\"customer_id\":null", "\"bet_amount\":\"-5\"", "\"game_id\":\"blackjack-1\"");
        String report = Files.readString(dir.resolve("reports/quality-report-run-1.md"));
        assertThat(report).contains("11 failed (error), 1 failed (warn). **FAILED**", "Failing rows of `unique(event_id)`",
                "| event_id | occurrences |", "| 3 | 2 |", "| **FAIL** | wins_within_1000x | error | 1 failing rows | 0 failing rows |");
    }

    @Test
    void onlyWarningsFailingStillExitsZero() throws Exception {
        TestPostgres.run("INSERT INTO " + data + ".fact VALUES (9, 'X1', 'slots-1', 'EUR', 1, now())");
        Files.writeString(dir.resolve("fact.yaml"), Files.readString(dir.resolve("fact.yaml"))
                .replace("{type: regex, column: customer_id, pattern: '^C[0-9]+$'}", "{type: regex, column: customer_id, pattern: '^[CX][0-9]+$'}"));
        assertThat(launch().exitCode()).isZero();
        assertThat(TestPostgres.rows("SELECT expectation FROM " + results + ".quality_results WHERE NOT passed")).containsExactly("bets_of_known_customers");
    }

    @Test
    void anUnknownColumnFailsBeforeAnyCheckNamingFileAndLine() throws Exception {
        Files.writeString(dir.resolve("fact.yaml"), Files.readString(dir.resolve("fact.yaml")).replace("column: currency", "column: ccy"));
        Launch launch = launch();
        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.failure()).contains("fact.yaml:8: unknown column 'ccy' in " + data + ".fact");
        assertThat(TestPostgres.rows("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + results + "'")).containsExactly("0");
    }

    private static String[] alertsTo(String topic) {
        return new String[]{"--streamlake.task.alerts-brokers=" + io.streamlake.testsupport.KafkaTestBroker.bootstrapServers(),
                "--streamlake.task.alerts-topic=" + topic};
    }

    private Launch launch(String... extra) {
        try {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                    "--spring.datasource.url=" + TestPostgres.jdbcUrl(repo), "--spring.datasource.username=" + TestPostgres.user(),
                    "--spring.datasource.password=" + TestPostgres.password(),
                    "--data-quality.suites=file:" + dir + "/*.yaml", "--data-quality.results-schema=" + results,
                    "--data-quality.report-dir=" + dir.resolve("reports"),
                    "--data-quality.clickhouse.url=" + TestClickHouse.jdbcUrl(clickhouse)));
            args.addAll(java.util.List.of(extra));
            var context = new SpringApplicationBuilder(DataQualityApplication.class).run(args.toArray(String[]::new));
            return new Launch(SpringApplication.exit(context), null);
        } catch (RuntimeException e) {
            Throwable root = e;
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            return new Launch(1, messages.toString());
        }
    }
}
