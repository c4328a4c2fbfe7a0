package io.streamlake.e2e;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code casino-events | event-validator | clickhouse} deployed as SCDF's local deployer would: three jars,
 * three JVMs, topics named {@code <stream>.<app>}, one consumer group per stream. A barrage of bad records
 * is injected mid-stream and ClickHouse is stopped and restarted while events flow.
 */
class CasinoStreamIT {

    private static final int EVENTS = 20_000;

    @TempDir
    Path work;

    @Test
    void generatedEventsLandInClickHouseExactlyOnceAndBadRecordsInTheDlq() throws Exception {
        String stream = UniqueNames.next("casino");
        String database = UniqueNames.next("analytics");
        String brokers = KafkaTestBroker.bootstrapServers();
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--streamlake.dlq.destination=" + stream + ".dlq",
                "--spring.cloud.stream.instanceCount=1", "--spring.cloud.stream.instanceIndex=0",
                "--spring.cloud.stream.kafka.binder.min-partition-count=3",
                "--management.endpoints.web.exposure.include=health,info,bindings"); // what SCDF 2.11 gives deployed apps
        List<StreamAppProcess> apps = new ArrayList<>();
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            StreamAppProcess sink = StreamAppProcess.start("clickhouse", StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"),
                    work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".event-validator",
                            "--spring.cloud.stream.bindings.input.group=" + stream,
                            "--clickhouse.url=" + clickhouse.httpUrl(), "--clickhouse.database=" + database,
                            "--clickhouse.header-columns.x-ground-truth=ground_truth", // as casino-analytics maps it
                            "--streamlake.sink.retry.max-backoff=1s"));
            apps.add(sink);
            StreamAppProcess validator = StreamAppProcess.start("event-validator",
                    StreamAppProcess.appJar("processors/event-validator", "event-validator"), work,
                    args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".casino-events",
                            "--spring.cloud.stream.bindings.input.group=" + stream,
                            "--spring.cloud.stream.bindings.output.destination=" + stream + ".event-validator"));
            apps.add(validator);
            sink.awaitHealthy(Duration.ofMinutes(3));
            validator.awaitHealthy(Duration.ofMinutes(3));

            StreamAppProcess source = StreamAppProcess.start("casino-events",
                    StreamAppProcess.appJar("sources/casino-events", "casino-events"), work,
                    args(common, "--spring.cloud.stream.bindings.output.destination=" + stream + ".casino-events",
                            "--casino-events.events-per-second=4000", "--casino-events.max-events=" + EVENTS,
                            "--casino-events.customers=3000", "--casino-events.seed=2026"));
            apps.add(source);
            source.awaitHealthy(Duration.ofMinutes(3));

            Map<String, Integer> expectedRejects = injectBadRecords(stream + ".casino-events");
            await(() -> count(clickhouse, database, "") > EVENTS / 4, "rows arriving");
            clickhouse.stop(); // mid-stream outage
            Thread.sleep(3000);
            clickhouse.start();
            await(() -> count(clickhouse, database, "") >= EVENTS, "all rows after the outage");
            Thread.sleep(2000);
            assertThat(count(clickhouse, database, "")).as("no duplicates even before merges").isEqualTo(EVENTS);
            assertThat(count(clickhouse, database, " FINAL")).isEqualTo(EVENTS);

            int rejects = expectedRejects.values().stream().mapToInt(Integer::intValue).sum();
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(stream + ".dlq", rejects, Duration.ofSeconds(60));
            Map<String, Integer> reasons = dead.stream().collect(Collectors.groupingBy(
                    r -> TopicReader.header(r, DeadLetterHeaders.REASON), TreeMap::new, Collectors.summingInt(r -> 1)));
            assertThat(reasons).isEqualTo(expectedRejects);

            String table = database + ".casino_events";
            assertViewsEqualRecomputation(clickhouse, table);
            assertThat(Long.parseLong(clickhouse.query("SELECT uniqExact(customer_id) FROM " + table).strip())).isGreaterThan(100);
            // the simulator's labels, through the validator, on every row: one per customer, anomalies among them
            assertThat(clickhouse.query("SELECT countIf(label NOT IN ('normal', 'bonus_abuse', 'bet_spike', 'win_streak')),"
                    + " max(labels), countIf(label != 'normal') > 0 FROM (SELECT customer_id, uniqExact(ground_truth) AS labels,"
                    + " any(ground_truth) AS label FROM " + table + " GROUP BY customer_id)")
                    .strip()).isEqualTo("0\t1\t1");
            assertThat(clickhouse.query("SELECT countIf(ground_truth = '') FROM " + table).strip()).isEqualTo("0");
            assertThat(validator.isAlive()).isTrue();
            assertThat(sink.isAlive()).isTrue();
            // SCDF narrows the exposure to health,info,bindings (see common): the counters stay on Prometheus
            assertThat(validator.actuator("prometheus")).contains("streamlake_records_rejected_total");

            // Routine operations: a redeploy of the source (same definition, started again), then the source scaled to
            // two instances as SCDF's deployer starts them. Every event_id is one row and one count in the views.
            source.close();
            List<String> oneOf = common.stream().filter(a -> !a.startsWith("--spring.cloud.stream.instance")).toList();
            List<String> sourceArgs = args(oneOf, "--spring.cloud.stream.bindings.output.destination=" + stream + ".casino-events",
                    "--casino-events.events-per-second=4000", "--casino-events.customers=3000", "--casino-events.seed=2026");
            try (StreamAppProcess redeployed = StreamAppProcess.start("casino-events-redeployed",
                    StreamAppProcess.appJar("sources/casino-events", "casino-events"), work,
                    args(sourceArgs, "--casino-events.max-events=3000", "--spring.cloud.stream.instanceCount=1",
                            "--spring.cloud.stream.instanceIndex=0"))) {
                apps.add(redeployed);
                await(() -> count(clickhouse, database, "") >= EVENTS + 3000, "the redeployed source's rows");
            }
            List<StreamAppProcess> scaled = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                StreamAppProcess instance = StreamAppProcess.start("casino-events-" + index,
                        StreamAppProcess.appJar("sources/casino-events", "casino-events"), work,
                        args(sourceArgs, "--casino-events.max-events=2000", "--spring.cloud.stream.instanceCount=2",
                                "--spring.cloud.stream.instanceIndex=" + index));
                apps.add(instance);
                scaled.add(instance);
            }
            int total = EVENTS + 3000 + 2 * 2000;
            await(() -> count(clickhouse, database, "") >= total, "both instances' rows");
            scaled.forEach(StreamAppProcess::close);
            Thread.sleep(2000);
            assertThat(count(clickhouse, database, "")).isEqualTo(total);
            assertThat(count(clickhouse, database, " FINAL")).isEqualTo(total);
            assertThat(clickhouse.query("SELECT uniqExact(event_id) FROM " + table).strip()).isEqualTo(String.valueOf(total));
            assertViewsEqualRecomputation(clickhouse, table);
        } catch (AssertionError | RuntimeException e) {
            for (StreamAppProcess app : apps) {
                System.err.println("---- " + app.name() + " ----\n" + app.logTail(60));
            }
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
        }
    }

    /** The views' totals equal a recomputation from the distinct events of the raw table. */
    private static void assertViewsEqualRecomputation(EmbeddedClickHouse clickhouse, String table) throws InterruptedException {
        String mismatches = "SELECT count() FROM (SELECT minute, game_id, currency, sum(bets) b, sum(bet_amount) ba,"
                + " sum(ggr) g FROM " + table + "_game_minute GROUP BY minute, game_id, currency) m FULL OUTER JOIN"
                + " (SELECT toStartOfMinute(activity_datetime) minute, game_id, currency, countIf(game_activity = 'bet') b,"
                + " sumIf(bet_amount, game_activity = 'bet') ba, ba - sumIf(win_amount, game_activity = 'win')"
                + " - sum(bonus_amount) g FROM (SELECT * FROM " + table + " FINAL LIMIT 1 BY event_id)"
                + " WHERE game_activity IN ('bet', 'win', 'bonus') GROUP BY minute, game_id, currency) r USING (minute, game_id, currency)"
                + " WHERE m.b != r.b OR m.ba != r.ba OR m.g != r.g";
        String customers = "SELECT count() FROM (SELECT customer_id, currency, sum(events) e, sum(bet_amount) ba FROM " + table
                + "_customer_totals GROUP BY customer_id, currency) m FULL OUTER JOIN (SELECT customer_id, currency, count() e,"
                + " sumIf(bet_amount, game_activity = 'bet') ba FROM (SELECT * FROM " + table + " FINAL LIMIT 1 BY event_id)"
                + " GROUP BY customer_id, currency) r USING (customer_id, currency) WHERE m.e != r.e OR m.ba != r.ba";
        try { // a view's part of an insert lands just after the raw table's
            Await.until(() -> clickhouse.query(mismatches).strip().equals("0") && clickhouse.query(customers).strip().equals("0"),
                    Duration.ofSeconds(20), "views to settle");
        } catch (AssertionError reportedBelow) {
            // the assertions say which view differs
        }
        assertThat(clickhouse.query(mismatches).strip()).as("game_minute groups differing").isEqualTo("0");
        assertThat(clickhouse.query(customers).strip()).as("customer_totals groups differing").isEqualTo("0");
    }

    private static Map<String, Integer> injectBadRecords(String topic) throws Exception {
        Map<String, Integer> expected = new TreeMap<>();
        String now = Instant.now().toString();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            send(producer, topic, "{\"event_id\":".getBytes(), expected, "MALFORMED_JSON");
            send(producer, topic, new byte[0], expected, "EMPTY_PAYLOAD");
            send(producer, topic, new byte[]{(byte) 0xde, (byte) 0xad, 0, 1}, expected, "MALFORMED_JSON");
            send(producer, topic, ("{\"event_id\":\"4b6f2a52-5c0e-4a8f-9d1c-2e3f4a5b6c7d\",\"customer_id\":\"x\",\"activity_datetime\":\""
                    + now + "\",\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":-5,"
                    + "\"currency\":\"EUR\"}").getBytes(), expected, "NEGATIVE_AMOUNT");
            send(producer, topic, ("{\"event_id\":\"5b6f2a52-5c0e-4a8f-9d1c-2e3f4a5b6c7d\",\"customer_id\":\"x\",\"activity_datetime\":\""
                    + now + "\",\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"keno\",\"bet_amount\":5,"
                    + "\"currency\":\"EUR\"}").getBytes(), expected, "UNKNOWN_GAME_TYPE");
            send(producer, topic, null, expected, "EMPTY_PAYLOAD");
        }
        return expected;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value, Map<String, Integer> expected,
                             String reason) throws Exception {
        producer.send(new ProducerRecord<>(topic, "bad".getBytes(), value)).get();
        expected.merge(reason, 1, Integer::sum);
    }

    private static long count(EmbeddedClickHouse ch, String database, String modifier) {
        try {
            return Long.parseLong(ch.query("SELECT count() FROM " + database + ".casino_events" + modifier).strip());
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, Duration.ofMinutes(3), what);
    }
}
