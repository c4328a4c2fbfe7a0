package io.streamlake.tasks.interactions;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TestClickHouse;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An hour and a minute of interactions in the embedded ClickHouse (three types, 200 events each a minute, 3 % errors),
 * the last minute with checkout errors at 40 %: its report flags checkout and nothing else, the minute before flags
 * nothing, a re-run replaces the report, the minute's rows are in the Parquet extract and the report is on Kafka.
 */
class InteractionReportTaskTest {

    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant INCIDENT = START.plus(Duration.ofMinutes(60));

    @TempDir
    Path dir;
    private String clickhouse;
    private String repo;
    /** Not created here: the task makes its topic on first use (a broker need not create topics on demand). */
    private final String topic = io.streamlake.testsupport.UniqueNames.next("interaction_reports");

    @BeforeEach
    void interactions() {
        clickhouse = TestClickHouse.createDatabase("ir");
        repo = TestPostgres.createSchema("ir_repo");
        TestClickHouse.shared().query(clickhouse, "CREATE TABLE user_interactions (interaction_id UUID, user_id String,"
                + " interaction_type LowCardinality(String), status Nullable(String), latency_ms Nullable(Int64),"
                + " timestamp DateTime64(3, 'UTC')) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (timestamp, interaction_id)");
        // number -> minute (600 events each), type (200 each), a deterministic 3 % of errors (40 % of checkouts at the end)
        TestClickHouse.shared().query(clickhouse, "INSERT INTO user_interactions SELECT generateUUIDv4(),"
                + " concat('U', toString(number % 97)), ['page_view', 'search', 'checkout'][intDiv(number % 600, 200) + 1],"
                + " if(cityHash64(number) % 1000 < if(intDiv(number, 600) = 60 AND intDiv(number % 600, 200) = 2, 400, 30),"
                + " 'error', 'success'), 50 + cityHash64(number, 1) % 150,"
                + " addMilliseconds(toDateTime64('2026-12-01 09:00:00', 3, 'UTC'), intDiv(number, 600) * 60000 + (number % 600) * 90)"
                + " FROM numbers(" + 61 * 600 + ")");
    }

    @AfterEach
    void drop() {
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + clickhouse);
        TestPostgres.dropSchema(repo);
    }

    private int launch(Instant minute, String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + TestPostgres.jdbcUrl(repo),
                "--spring.datasource.username=" + TestPostgres.user(), "--spring.datasource.password=" + TestPostgres.password(),
                "--interaction-report.minute=" + minute, "--interaction-report.export-dir=" + dir,
                "--interaction-report.brokers=" + KafkaTestBroker.bootstrapServers(), "--interaction-report.topic=" + topic,
                "--interaction-report.clickhouse.url=" + TestClickHouse.jdbcUrl(clickhouse)));
        args.addAll(List.of(extra));
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(InteractionReportApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException failed) {
            return 1;
        }
    }

    private List<String> report(Instant minute) {
        return TestClickHouse.shared().query(clickhouse, "SELECT interaction_type, events, anomaly, round(error_rate, 4)"
                + " FROM interaction_reports FINAL WHERE minute = toDateTime('" + sql(minute) + "', 'UTC')"
                + " ORDER BY interaction_type FORMAT CSV").strip().replace("\"", "").lines().toList();
    }

    /** The same numbers straight from the interactions, with the anomaly flags the report should give. */
    private List<String> recomputed(Instant minute, String anomalous) {
        return TestClickHouse.shared().query(clickhouse, "SELECT interaction_type, count(), interaction_type = '" + anomalous
                + "', round(countIf(status = 'error') / count(), 4) FROM user_interactions WHERE toStartOfMinute(timestamp) = toDateTime('"
                + sql(minute) + "', 'UTC') GROUP BY interaction_type ORDER BY interaction_type FORMAT CSV").strip()
                .replace("\"", "").replace(",true,", ",1,").replace(",false,", ",0,").lines().toList();
    }

    private static String sql(Instant t) {
        return t.toString().replace("T", " ").replace("Z", "");
    }

    @Test
    void theIncidentMinuteFlagsItsTypeAndAQuietMinuteFlagsNothing() throws Exception {
        assertThat(launch(INCIDENT)).isZero();
        assertThat(report(INCIDENT)).hasSize(3).isEqualTo(recomputed(INCIDENT, "checkout"));
        assertThat(report(INCIDENT).get(0)).startsWith("checkout,200,1,");
        assertThat(launch(INCIDENT.minus(Duration.ofMinutes(1)))).isZero();
        assertThat(report(INCIDENT.minus(Duration.ofMinutes(1)))).hasSize(3)
                .isEqualTo(recomputed(INCIDENT.minus(Duration.ofMinutes(1)), "none"));

        assertThat(launch(INCIDENT)).as("a re-run").isZero();
        assertThat(report(INCIDENT)).hasSize(3);
        String reason = TestClickHouse.shared().query(clickhouse, "SELECT reason FROM interaction_reports FINAL"
                + " WHERE interaction_type = 'checkout' AND anomaly = 1 FORMAT TSV").strip();
        assertThat(reason).startsWith("error rate 0.4");

        Path parquet = ExportTasklet.file(dir, INCIDENT);
        assertThat(Files.readAllBytes(parquet)).startsWith('P', 'A', 'R', '1');
        assertThat(TestClickHouse.shared().query("SELECT count(), countIf(status = 'error') FROM file('" + parquet
                + "', Parquet) FORMAT CSV").strip()).isEqualTo(TestClickHouse.shared().query(clickhouse, "SELECT count(),"
                + " countIf(status = 'error') FROM user_interactions WHERE toStartOfMinute(timestamp) = toDateTime('"
                + sql(INCIDENT) + "', 'UTC') FORMAT CSV").strip()).startsWith("600,");

        List<ConsumerRecord<byte[], byte[]>> published = TopicReader.read(topic, 3, Duration.ofSeconds(30));
        assertThat(published).hasSize(3);
        ConsumerRecord<byte[], byte[]> last = published.get(2);
        assertThat(new String(last.key(), StandardCharsets.UTF_8)).isEqualTo(INCIDENT.toString());
        JsonNode event = Json.mapper().readTree(last.value());
        assertThat(event.get("anomalies").toString()).isEqualTo("[\"checkout\"]");
        assertThat(event.get("types")).hasSize(3);
    }

    @Test
    void theBaselineIsReadFromTheMinutesAlreadyReported() {
        for (int back = 5; back >= 1; back--) {
            assertThat(launch(INCIDENT.minus(Duration.ofMinutes(back)), "--interaction-report.baseline-minutes=5")).isZero();
        }
        // the interactions of those minutes gone: only their reports can make the baseline now
        TestClickHouse.shared().query(clickhouse, "DELETE FROM user_interactions WHERE timestamp < toDateTime64('"
                + sql(INCIDENT) + "', 3, 'UTC') SETTINGS mutations_sync = 2");
        assertThat(TestClickHouse.shared().query(clickhouse, "SELECT count() FROM user_interactions").strip()).isEqualTo("600");
        assertThat(launch(INCIDENT, "--interaction-report.baseline-minutes=5")).isZero();
        assertThat(report(INCIDENT)).isEqualTo(recomputed(INCIDENT, "checkout"));
        assertThat(TestClickHouse.shared().query(clickhouse, "SELECT reason FROM interaction_reports FINAL WHERE minute = toDateTime('"
                + sql(INCIDENT) + "', 'UTC') AND interaction_type = 'search' FORMAT TSV").strip()).startsWith("error rate ")
                .doesNotContain("no baseline");
    }

    @Test
    void aFailedMinuteDoesNotTakeTheNextMinutesRun() throws Exception {
        Instant failed = INCIDENT.minus(Duration.ofMinutes(1));
        // a file where the minute's export directory goes: the report step completes, the export fails, the job
        // instance of that minute ends FAILED
        Path blocked = Files.writeString(ExportTasklet.file(dir, failed).getParent(), "x");
        assertThat(launch(failed)).isEqualTo(1);
        assertThat(report(failed)).hasSize(3);
        // the next minute is a run of its own, every step of it (not a restart of the failed minute's remaining steps)
        assertThat(launch(INCIDENT)).isZero();
        assertThat(report(INCIDENT)).isEqualTo(recomputed(INCIDENT, "checkout"));
        assertThat(Files.exists(ExportTasklet.file(dir, INCIDENT))).isTrue();
        // the failed minute launched again (the obstacle gone) is restarted: its report stays, its export is done now
        Files.delete(blocked);
        assertThat(launch(failed)).isZero();
        assertThat(Files.exists(ExportTasklet.file(dir, failed))).isTrue();
        List<ConsumerRecord<byte[], byte[]>> published = TopicReader.read(topic, 2, Duration.ofSeconds(30));
        assertThat(published).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly(INCIDENT.toString(), failed.toString());
        assertThat(Json.mapper().readTree(published.get(0).value()).get("anomalies").toString()).isEqualTo("[\"checkout\"]");
    }

    @Test
    void withoutABaselineNothingIsFlaggedAndABadTableFailsTheTask() {
        Instant first = START.plus(Duration.ofMinutes(2)); // two minutes of history: fewer than min-baseline-minutes
        assertThat(launch(first)).isZero();
        assertThat(report(first)).allSatisfy(row -> assertThat(row).contains(",0,"));
        assertThat(launch(first, "--interaction-report.source-table=no such table")).isEqualTo(1);
    }
}
