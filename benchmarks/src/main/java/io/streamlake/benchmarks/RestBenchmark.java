package io.streamlake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
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
 *   <li><b>http-poll</b>: 100,000 users from the demo random-user API (pages of 500) into Kafka, records per second
 *       (the last three quarters of the run); anchor: a plain JDK {@code HttpClient} loop fetching and parsing the same
 *       pages from the same API in the same JVM as the API, records per second.</li>
 *   <li><b>interactions</b>: the source unpaced, Avro, 1,000,000 events, events per second reaching Kafka.</li>
 *   <li><b>interaction-report</b>: a trailing hour and the reported minute of 500,000 interactions each in the embedded
 *       ClickHouse (30.5 million rows); the job's own duration (BATCH_JOB_EXECUTION, JVM start-up excluded), report
 *       written, Parquet exported and published.</li>
 * </ul>
 * Three trials each, medians.
 */
final class RestBenchmark {

    private static final int TRIALS = Integer.getInteger("bench.rest.trials", 3);
    private static final int USERS = 100_000;
    private static final int INTERACTIONS = 1_000_000;
    private static final int PER_MINUTE = 500_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RestBenchmark() {
    }

    static void run() throws Exception {
        Path work = Files.createTempDirectory("bench-rest");
        System.out.printf("%nREST benchmark: %d trials; http-poll %d users in pages of 500, interactions %d events,"
                + " interaction-report %d interactions a minute; %d cores%n", TRIALS, USERS, INTERACTIONS, PER_MINUTE,
                Runtime.getRuntime().availableProcessors());
        double[] poll = new double[TRIALS];
        double[] loop = new double[TRIALS];
        double[] interactions = new double[TRIALS];
        double[] report = new double[TRIALS];
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().dataDir(work.resolve("kafka")).build().start();
             EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start();
             DemoApis apis = DemoApis.start(new DemoApis.Settings(0, USERS, Instant.now(), 0, 1000, null))) {
            String brokers = broker.bootstrapServers();
            String database = "bench_interactions";
            fillInteractions(clickhouse, database);
            TaskLaunches tasks = new TaskLaunches("bench_interaction_report");
            for (int t = 0; t < TRIALS; t++) {
                // the anchor and the app take turns going first
                if (t % 2 == 0) {
                    loop[t] = jdkLoop(apis);
                }
                poll[t] = httpPoll(brokers, work, apis, t);
                if (t % 2 == 1) {
                    loop[t] = jdkLoop(apis);
                }
                interactions[t] = interactionsRate(brokers, work, t);
                tasks.recreate();
                TaskLaunches.Run run = tasks.launch(StreamAppProcess.appJar("batch-tasks/interaction-report", "interaction-report"),
                        work.resolve("interaction-report-" + t + ".log"),
                        "--interaction-report.minute=2026-12-01T10:00:00Z", "--interaction-report.brokers=" + brokers,
                        "--interaction-report.topic=bench-reports", "--interaction-report.export-dir=" + work.resolve("exports"),
                        "--interaction-report.clickhouse.url=jdbc:clickhouse://127.0.0.1:" + clickhouse.port() + "/" + database
                                + "?compress=false");
                if (run.exit() != 0) {
                    throw new IllegalStateException("interaction-report failed; see " + work.resolve("interaction-report-" + t + ".log"));
                }
                report[t] = tasks.jobSeconds("interaction-report");
                System.out.printf("trial %d: JDK HttpClient loop %,.0f records/s, http-poll %,.0f records/s, interactions %,.0f events/s,"
                        + " interaction-report job %.2f s%n", t + 1, loop[t], poll[t], interactions[t], report[t]);
            }
            tasks.drop();
        }
        System.out.println();
        System.out.println("| measurement | median | anchor (median, same run) | ratio | goal |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| http-poll, demo random-user API (pages of 500) into Kafka, records/s | %,.0f | JDK HttpClient loop fetching and parsing the same pages: %,.0f records/s | %.2f | ≥ 0.80 |%n",
                Stats.median(poll), Stats.median(loop), Stats.median(poll) / Stats.median(loop));
        System.out.printf("| interactions source, Avro, events/s produced to Kafka | %,.0f | | | ≥ 100,000 events/s |%n",
                Stats.median(interactions));
        System.out.printf("| interaction-report, a minute of %,d interactions (trailing hour as large), job seconds | %.2f | | | ≤ 3 s |%n",
                PER_MINUTE, Stats.median(report));
    }

    /** Records per second a plain loop reads: GET each page, parse it, count its records. */
    private static double jdkLoop(DemoApis apis) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        long records = 0;
        for (int page = 1; ; page++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apis.url("/api/users?seed=bench&results=500&page=" + page)
                    .toString())).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode results = JSON.readTree(r.body()).get("results");
            if (results.isEmpty()) {
                break;
            }
            records += results.size();
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    private static double httpPoll(String brokers, Path work, DemoApis apis, int trial) throws Exception {
        String out = "bench-users-" + trial;
        StreamAppsBenchmark.createTopic(brokers, out, 2);
        try (StreamAppProcess app = StreamAppProcess.start("http-poll-" + trial, StreamAppProcess.appJar("sources/http-poll", "http-poll"),
                work, List.of("--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.output.destination=" + out, "--streamlake.dlq.destination=bench-rest-dlq",
                        "--http-poll.name=bench-" + trial + "-" + System.nanoTime(), "--http-poll.url=" + apis.url("/api/users?seed=bench"),
                        "--http-poll.size-param=results", "--http-poll.page-size=500", "--http-poll.records-path=/results",
                        "--http-poll.key-field=/login/uuid", "--http-poll.fixed-delay=1h"))) {
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
        clickhouse.query("CREATE TABLE " + database + ".user_interactions (interaction_id UUID, user_id String,"
                + " interaction_type LowCardinality(String), status Nullable(String), latency_ms Nullable(Int64),"
                + " timestamp DateTime64(3, 'UTC')) ENGINE = ReplacingMergeTree ORDER BY (user_id, timestamp, interaction_id)");
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
