package io.streamlake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.common.http.PagedApiClient;
import io.streamlake.demo.DemoApis;
import io.streamlake.kafka.broker.KafkaBrokerProcess;
import io.streamlake.testsupport.StreamAppProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The REST and interaction pipelines' apps, each measured in one run beside its anchor:
 * <ul>
 *   <li><b>http-poll</b>: 600,000 users from the demo random-user API (pages of 500) into Kafka, records per second
 *       over the last three quarters of the run (steady state: the app's JVM is fresh each trial); anchor: a plain JDK
 *       {@code HttpClient} loop fetching and parsing the same pages from the same API, records per second over the
 *       same last three quarters; and, for scale, the pages read as http-poll reads them and every record sent as is
 *       with a bare {@code KafkaProducer} (no Spring, the app's batch settings).</li>
 *   <li><b>interactions</b>: the source unpaced, Avro, 1,000,000 events, events per second reaching Kafka.</li>
 *   <li><b>interaction-report</b>: a trailing hour and the reported minute of 500,000 interactions each in the embedded
 *       ClickHouse (30.5 million rows); the job's own duration (BATCH_JOB_EXECUTION, JVM start-up excluded), report
 *       written, Parquet exported and published.</li>
 * </ul>
 * Three trials each, medians.
 */
final class RestBenchmark {

    private static final int TRIALS = Integer.getInteger("bench.rest.trials", 3);
    /** Long enough for the app's new JVM to reach steady state (its JIT) in the measured three quarters. */
    private static final int USERS = 1_800_000;
    private static final int INTERACTIONS = 1_000_000;
    private static final int PER_MINUTE = 500_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RestBenchmark() {
    }

    /** @param parts which of poll, interactions, report to measure (none of them named: all three) */
    static void run(java.util.Set<String> parts) throws Exception {
        java.util.Set<String> all = java.util.Set.of("poll", "interactions", "report");
        java.util.Set<String> measured = parts.stream().anyMatch(all::contains) ? parts : all;
        Path work = Files.createTempDirectory("bench-rest");
        System.out.printf("%nREST benchmark: %d trials; http-poll %d users in pages of 500, interactions %d events,"
                + " interaction-report %d interactions a minute; %d cores%n", TRIALS, USERS, INTERACTIONS, PER_MINUTE,
                Runtime.getRuntime().availableProcessors());
        double[] poll = new double[TRIALS];
        double[] loop = new double[TRIALS];
        double[] producerLoop = new double[TRIALS];
        double[] interactions = new double[TRIALS];
        double[] report = new double[TRIALS];
        double[] reportCold = new double[TRIALS];
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().dataDir(work.resolve("kafka")).build().start();
             EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start();
             DemoApis apis = DemoApis.start(new DemoApis.Settings(0, USERS, Instant.now(), 0, 1000, null))) {
            String brokers = broker.bootstrapServers();
            String database = "bench_interactions";
            if (measured.contains("report")) {
                fillInteractions(clickhouse, database);
            }
            TaskLaunches tasks = new TaskLaunches("bench_interaction_report");
            for (int t = 0; t < TRIALS; t++) {
                // the anchor and the app take turns going first
                if (measured.contains("poll")) {
                    if (t % 2 == 0) {
                        loop[t] = jdkLoop(apis);
                    }
                    poll[t] = httpPoll(brokers, work, apis, t);
                    if (t % 2 == 1) {
                        loop[t] = jdkLoop(apis);
                    }
                    producerLoop[t] = producerLoop(apis, brokers, "bench-users-loop-" + t);
                }
                if (measured.contains("interactions")) {
                    interactions[t] = interactionsRate(brokers, work, t);
                }
                if (measured.contains("report")) {
                    // cold: no earlier reports, the baseline hour read from the interactions
                    clickhouse.query("DROP TABLE IF EXISTS " + database + ".interaction_reports");
                    reportCold[t] = report(tasks, clickhouse, database, brokers, work, "cold-" + t);
                    // steady: the hour's minutes reported (as the task does every minute), the baseline read from them
                    clickhouse.query("INSERT INTO " + database + ".interaction_reports (minute, interaction_type, events, errors,"
                            + " success_rate, error_rate, latency_p50, latency_p95, latency_p99, computed_at)"
                            + " SELECT toStartOfMinute(timestamp) AS m, interaction_type, count(), countIf(status = 'error'),"
                            + " 1 - countIf(status = 'error') / count(), countIf(status = 'error') / count(),"
                            + " quantileExact(0.5)(ifNull(latency_ms, 0)), quantileExact(0.95)(ifNull(latency_ms, 0)),"
                            + " quantileExact(0.99)(ifNull(latency_ms, 0)), now64(3) FROM " + database + ".user_interactions"
                            + " WHERE timestamp < toDateTime64('2026-12-01 10:00:00', 3, 'UTC') GROUP BY m, interaction_type");
                    report[t] = report(tasks, clickhouse, database, brokers, work, "steady-" + t);
                }
                System.out.printf("trial %d: JDK HttpClient loop %,.0f records/s (with a KafkaProducer %,.0f), http-poll %,.0f records/s,"
                        + " interactions %,.0f events/s, interaction-report job %.2f s (%.2f s without earlier reports)%n", t + 1,
                        loop[t], producerLoop[t], poll[t], interactions[t], report[t], reportCold[t]);
            }
            tasks.drop();
        }
        System.out.println();
        System.out.println("| measurement | median | anchor (median, same run) | ratio | goal |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| http-poll, demo random-user API (pages of 500) into Kafka, records/s | %,.0f | JDK HttpClient loop fetching and parsing the same pages: %,.0f records/s | %.2f | ≥ 0.80 |%n",
                Stats.median(poll), Stats.median(loop), Stats.median(poll) / Stats.median(loop));
        System.out.printf("| (for scale) the same loop also sending each record with a bare KafkaProducer, records/s | %,.0f | the fetch-only loop | %.2f | |%n",
                Stats.median(producerLoop), Stats.median(producerLoop) / Stats.median(loop));
        System.out.printf("| interactions source, Avro, events/s produced to Kafka | %,.0f | | | ≥ 100,000 events/s |%n",
                Stats.median(interactions));
        System.out.printf("| interaction-report, a minute of %,d interactions, the trailing hour's minutes reported, job seconds | %.2f | | | ≤ 3 s |%n",
                PER_MINUTE, Stats.median(report));
        System.out.printf("| interaction-report, the same minute without earlier reports (the hour's %,d interactions read), job seconds | %.2f | | | |%n",
                PER_MINUTE * 60, Stats.median(reportCold));
    }

    /** One launch of the task for 10:00 on the filled table: the job's seconds (steps printed). */
    private static double report(TaskLaunches tasks, EmbeddedClickHouse clickhouse, String database, String brokers, Path work,
                                 String label) throws Exception {
        tasks.recreate();
        Path log = work.resolve("interaction-report-" + label + ".log");
        TaskLaunches.Run run = tasks.launch(StreamAppProcess.appJar("batch-tasks/interaction-report", "interaction-report"), log,
                "--interaction-report.minute=2026-12-01T10:00:00Z", "--interaction-report.brokers=" + brokers,
                "--interaction-report.topic=bench-reports", "--interaction-report.export-dir=" + work.resolve("exports"),
                "--interaction-report.clickhouse.url=jdbc:clickhouse://127.0.0.1:" + clickhouse.port() + "/" + database
                        + "?compress=false");
        if (run.exit() != 0) {
            throw new IllegalStateException("interaction-report failed; see " + log);
        }
        System.out.printf("interaction-report (%s): %s%n", label, tasks.stepSeconds("interaction-report"));
        return tasks.jobSeconds("interaction-report");
    }

    /** Records per second a plain loop reads over the last three quarters of the pages: GET each page, parse it, count its records. */
    private static double jdkLoop(DemoApis apis) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        SteadyCount count = new SteadyCount();
        for (int page = 1; ; page++) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(apis.url("/api/users?seed=bench&results=500&page=" + page)
                    .toString())).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode results = JSON.readTree(r.body()).get("results");
            if (results.isEmpty()) {
                break;
            }
            count.add(results.size());
        }
        return count.rate();
    }

    /**
     * For scale: the least any source writing these records to Kafka does, with no Spring, no headers and no
     * acknowledgement tracking. The pages read through platform-common's {@code PagedApiClient} as http-poll reads
     * them (one parse, each record kept as the bytes the API sent), each record sent as is, keyed by its uuid, with a
     * bare {@code KafkaProducer} configured as the app's binder is (linger 10 ms, 256 KiB batches, acks=all).
     */
    private static double producerLoop(DemoApis apis, String brokers, String topic) throws Exception {
        java.util.Properties config = new java.util.Properties();
        config.put("bootstrap.servers", brokers);
        config.put("linger.ms", "10");
        config.put("batch.size", "262144");
        config.put("acks", "all");
        PagedApiClient client = new PagedApiClient(PagedApiClient.Settings.builder(apis.url("/api/users?seed=bench"))
                .sizeParam("results").pageSize(500).itemsPath("/results").keepRecordBytes(true).build());
        com.fasterxml.jackson.core.JsonPointer key = com.fasterxml.jackson.core.JsonPointer.compile("/login/uuid");
        SteadyCount count = new SteadyCount();
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                config, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (String token = client.firstToken(); token != null; ) {
                PagedApiClient.Page page = client.fetch(token);
                if (page.items().isEmpty()) {
                    break;
                }
                for (int i = 0; i < page.items().size(); i++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                            page.items().get(i).at(key).asText().getBytes(java.nio.charset.StandardCharsets.UTF_8), page.raw().get(i)));
                }
                count.add(page.items().size());
                token = page.nextToken();
            }
            producer.flush();
        }
        return count.rate();
    }

    /** Records per second from the first quarter of the users on (the JVM warmed up). */
    private static final class SteadyCount {
        private long records;
        private long from;
        private long fromRecords;

        void add(int n) {
            records += n;
            if (from == 0 && records >= USERS / 4) {
                from = System.nanoTime();
                fromRecords = records;
            }
        }

        double rate() {
            return (records - fromRecords) / ((System.nanoTime() - from) / 1e9);
        }
    }

    private static double httpPoll(String brokers, Path work, DemoApis apis, int trial) throws Exception {
        String out = "bench-users-" + trial;
        StreamAppsBenchmark.createTopic(brokers, out, 2);
        try (StreamAppProcess app = StreamAppProcess.start("http-poll-" + trial, StreamAppProcess.appJar("sources/http-poll", "http-poll"),
                work, List.of("--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.output.destination=" + out, "--streamlake.dlq.destination=bench-rest-dlq",
                        "--http-poll.name=bench-" + trial + "-" + System.nanoTime(), "--http-poll.url=" + apis.url("/api/users?seed=bench"),
                        "--http-poll.size-param=results", "--http-poll.page-size=500", "--http-poll.records-path=/results",
                        "--http-poll.key-field=/login/uuid", "--http-poll.fixed-delay=1h",
                        "--http-poll.max-pages-per-poll=100000"))) {
            return StreamAppsBenchmark.steadyRate(() -> StreamAppsBenchmark.endOffsets(brokers, out), USERS, app);
        }
    }

    private static double interactionsRate(String brokers, Path work, int trial) throws Exception {
        String out = "bench-interactions-" + trial;
        StreamAppsBenchmark.createTopic(brokers, out, 2);
        try (StreamAppProcess app = StreamAppProcess.start("interactions-" + trial,
                StreamAppProcess.appJar("sources/interactions", "interactions"), work, List.of(
                        "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.output.destination=" + out,
                        "--interactions.events-per-second=100000000", "--interactions.max-events=" + INTERACTIONS))) {
            return StreamAppsBenchmark.steadyRate(() -> StreamAppsBenchmark.endOffsets(brokers, out), INTERACTIONS, app);
        }
    }

    /** 61 minutes of 500,000 interactions each (8 types, 3 % errors, latencies 50 to 550 ms), the last one reported. */
    private static void fillInteractions(EmbeddedClickHouse clickhouse, String database) {
        clickhouse.query("CREATE DATABASE IF NOT EXISTS " + database);
        // the layout the user-interaction contract gives the clickhouse sink's table (a minute is one key range)
        clickhouse.query("CREATE TABLE " + database + ".user_interactions (interaction_id UUID, user_id String,"
                + " interaction_type LowCardinality(String), status Nullable(String), latency_ms Nullable(Int64),"
                + " timestamp DateTime64(3, 'UTC')) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (timestamp, interaction_id)");
        long start = System.nanoTime();
        for (int minute = 0; minute <= 60; minute++) {
            clickhouse.query("INSERT INTO " + database + ".user_interactions SELECT generateUUIDv4(), concat('U', toString(number % 5000)),"
                    + " ['page_view', 'search', 'click', 'add_to_cart', 'checkout', 'purchase', 'login', 'error_page'][number % 8 + 1],"
                    + " if(cityHash64(number, " + minute + ") % 100 < 3, 'error', 'success'), 50 + cityHash64(number, 7) % 500,"
                    + " addMilliseconds(toDateTime64('2026-12-01 09:00:00', 3, 'UTC'), " + minute + " * 60000 + number * 60000 / "
                    + PER_MINUTE + ") FROM numbers(" + PER_MINUTE + ")");
        }
        System.out.printf("interactions: %s rows in %.0f s (not measured)%n",
                clickhouse.query("SELECT count() FROM " + database + ".user_interactions").strip(), (System.nanoTime() - start) / 1e9);
    }
}
