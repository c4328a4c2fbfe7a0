package io.streamlake.e2e;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactions pipeline from its jars, as dataflow-definitions declares it: {@code interactions} (Avro, ten
 * minutes of simulated history sent first, checkout errors ×10 from its eighth minute for two minutes) →
 * {@code event-validator --contract=user-interaction} → {@code clickhouse --table=user_interactions}, then the
 * {@code interaction-report} task from its jar for two minutes the ground truth names: one inside the incident, which
 * flags checkout and nothing else, and a quiet one before it, which flags nothing. Every interaction the source sent
 * is in ClickHouse once (counted without {@code FINAL}, so a second copy would show before any merge).
 */
class InteractionsPipelineIT {

    @TempDir
    Path work;

    @Test
    void interactionsLandOnceAndTheReportFlagsTheIncidentMinuteOnly() throws Exception {
        String stream = UniqueNames.next("interactions");
        String database = UniqueNames.next("interactions_db");
        String raw = KafkaTestBroker.createTopic(stream + "_raw", 2);
        String repo = TestPostgres.createSchema("interactions_repo");
        String reports = stream + "_reports";
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--streamlake.dlq.destination=" + stream + "_dlq");
        List<StreamAppProcess> apps = new ArrayList<>();
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            apps.add(StreamAppProcess.start("clickhouse", StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"), work,
                    args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + "_validated",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--clickhouse.url=" + clickhouse.httpUrl(),
                            "--clickhouse.database=" + database, "--clickhouse.table=user_interactions",
                            "--clickhouse.contract=user-interaction")));
            apps.add(StreamAppProcess.start("event-validator", StreamAppProcess.appJar("processors/event-validator",
                    "event-validator"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + raw,
                    "--spring.cloud.stream.bindings.input.group=" + stream,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + "_validated",
                    "--event-validator.contract=user-interaction")));
            for (StreamAppProcess app : apps) {
                app.awaitHealthy(Duration.ofMinutes(3));
            }
            Instant live = Instant.now();
            StreamAppProcess source = StreamAppProcess.start("interactions", StreamAppProcess.appJar("sources/interactions",
                    "interactions"), work, args(common, "--spring.cloud.stream.bindings.output.destination=" + raw,
                    "--interactions.events-per-second=250", "--interactions.backfill=10m",
                    "--interactions.incidents[0].type=checkout", "--interactions.incidents[0].kind=ERROR_RATE",
                    "--interactions.incidents[0].start-after=8m", "--interactions.incidents[0].duration=2m",
                    "--interactions.incidents[0].factor=10"));
            apps.add(source);
            String table = database + ".user_interactions";
            // the history sent and stored, and the source live (its events are now after the test started it)
            Await.until(() -> clickhouse.query("SELECT max(timestamp) >= parseDateTime64BestEffort('" + live + "') FROM "
                    + table).strip().equals("1"), Duration.ofMinutes(4), "the backfill in ClickHouse and the source live");
            source.close();
            apps.remove(source);

            long sent = TopicReader.endOffsets(raw);
            Await.until(() -> count(clickhouse, "SELECT count() FROM " + table + " FINAL") >= sent, Duration.ofMinutes(2),
                    "every interaction in ClickHouse");
            Thread.sleep(2000); // anything sent twice would arrive by now
            assertThat(count(clickhouse, "SELECT count() FROM " + table)).isEqualTo(sent);
            assertThat(count(clickhouse, "SELECT uniqExact(interaction_id) FROM " + table)).isEqualTo(sent);
            assertThat(TopicReader.endOffsets(stream + "_dlq")).as("dead letters").isZero();

            // the minutes from the ground truth the source sent with every event
            Contract contract = ContractRepository.at("").get("user-interaction", ContractRepository.LATEST);
            ContractWire wire = new ContractWire(contract, ContractRepository.at(""));
            TreeMap<Instant, int[]> checkouts = new TreeMap<>(); // minute -> {checkouts, of them in the incident, incident events of any type}
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(raw, (int) sent, Duration.ofMinutes(1));
            assertThat(records).hasSize((int) sent);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                Object[] values = wire.read(r.value(), TopicReader.header(r, ContractWire.CONTENT_TYPE));
                Instant minute = ((Instant) values[contract.field("timestamp").index()]).truncatedTo(ChronoUnit.MINUTES);
                boolean checkout = values[contract.field("interaction_type").index()].equals("checkout");
                boolean incident = !"normal".equals(TopicReader.header(r, "x-ground-truth"));
                int[] m = checkouts.computeIfAbsent(minute, k -> new int[3]);
                m[0] += checkout ? 1 : 0;
                m[1] += checkout && incident ? 1 : 0;
                m[2] += incident ? 1 : 0;
            }
            Instant incidentMinute = checkouts.entrySet().stream().filter(e -> e.getValue()[0] > 0 && e.getValue()[1] == e.getValue()[0])
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no minute wholly in the incident: " + summary(checkouts)));
            Instant quietMinute = incidentMinute.minus(2, ChronoUnit.MINUTES);
            assertThat(checkouts.get(quietMinute)[2]).as("incident events in the quiet minute " + quietMinute).isZero();
            assertThat(checkouts.headMap(quietMinute).size()).as("minutes of baseline before the quiet one").isGreaterThanOrEqualTo(6);

            for (Instant minute : List.of(quietMinute, incidentMinute)) {
                assertThat(report(minute, clickhouse.jdbcUrl(database), repo, reports)).as("the task's exit code for " + minute).isZero();
            }
            String scores = clickhouse.query("SELECT minute, interaction_type, events, round(error_rate, 3), round(score, 2), reason FROM "
                    + database + ".interaction_reports FINAL ORDER BY minute, score DESC");
            assertThat(anomalies(clickhouse, database, incidentMinute)).as(scores).isEqualTo("checkout");
            assertThat(anomalies(clickhouse, database, quietMinute)).as(scores).isEmpty();
            assertThat(count(clickhouse, "SELECT count() FROM " + database + ".interaction_reports FINAL WHERE minute = toDateTime('"
                    + sql(quietMinute) + "', 'UTC')")).as("types reported for the quiet minute").isEqualTo(8);
            List<ConsumerRecord<byte[], byte[]>> published = TopicReader.read(reports, 2, Duration.ofSeconds(30));
            assertThat(published).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly(quietMinute.toString(), incidentMinute.toString());
        } catch (AssertionError | RuntimeException e) {
            StreamAppProcess.printLogTails(apps, 40);
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
            TestPostgres.dropSchema(repo);
        }
    }

    /** Runs interaction-report from its jar for one minute, as SCDF's scheduler would with a minute argument. */
    private int report(Instant minute, String clickhouseJdbcUrl, String repo, String topic) throws Exception {
        Path log = work.resolve("interaction-report-" + minute.getEpochSecond() + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx320m",
                "-jar", StreamAppProcess.appJar("batch-tasks/interaction-report", "interaction-report").toString(),
                "--spring.datasource.url=" + TestPostgres.jdbcUrl(repo), "--spring.datasource.username=" + TestPostgres.user(),
                "--spring.datasource.password=" + TestPostgres.password(), "--interaction-report.minute=" + minute,
                "--interaction-report.clickhouse.url=" + clickhouseJdbcUrl, "--interaction-report.export-dir=" + work.resolve("exports"),
                "--interaction-report.brokers=" + KafkaTestBroker.bootstrapServers(), "--interaction-report.topic=" + topic);
        Process task = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!task.waitFor(3, TimeUnit.MINUTES)) {
            task.destroyForcibly();
            throw new AssertionError("interaction-report did not finish in 3 minutes; see " + log);
        }
        return task.exitValue();
    }

    /** The types the report of {@code minute} flags, comma-separated. */
    private static String anomalies(EmbeddedClickHouse clickhouse, String database, Instant minute) {
        return clickhouse.query("SELECT arrayStringConcat(arraySort(groupArrayIf(interaction_type, anomaly = 1)), ',') FROM "
                + database + ".interaction_reports FINAL WHERE minute = toDateTime('" + sql(minute) + "', 'UTC')").strip();
    }

    private static String summary(Map<Instant, int[]> minutes) {
        StringBuilder s = new StringBuilder();
        minutes.forEach((m, c) -> s.append(m).append(": ").append(c[0]).append(" checkouts, ").append(c[1]).append(" in the incident; "));
        return s.toString();
    }

    private static String sql(Instant t) {
        return t.toString().replace("T", " ").replace("Z", "");
    }

    private static long count(EmbeddedClickHouse clickhouse, String sql) {
        return Long.parseLong(clickhouse.query(sql).strip());
    }
}
