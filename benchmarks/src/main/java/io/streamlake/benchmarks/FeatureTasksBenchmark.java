package io.streamlake.benchmarks;

import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.process.ServerProcess;
import io.streamlake.testsupport.StreamAppProcess;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature tasks on 1M entities, each launched from its jar:
 * <ul>
 *   <li>feature-materialization of a batch view with 10 features for 1M entities from the embedded ClickHouse into a
 *       throw-away Redis: feature values/s over the job's duration, beside {@code redis-benchmark -t hset -P 16} on the
 *       same Redis in the same run, and the task's whole wall time (JVM start to exit);</li>
 *   <li>historical-features for a 1M-row entity file and those 10 features: job seconds, and peak memory (RSS) of the
 *       task's JVM and of the ClickHouse server during the run.</li>
 * </ul>
 */
final class FeatureTasksBenchmark {

    private static final int ENTITIES = Integer.getInteger("bench.feature-tasks.entities", 1_000_000);
    private static final int TRIALS = Integer.getInteger("bench.feature-tasks.trials", 3);

    private FeatureTasksBenchmark() {
    }

    static void run() throws Exception {
        Path work = Files.createTempDirectory("bench-feature-tasks");
        int port = ServerProcess.freeLoopbackPort();
        TaskLaunches tasks = new TaskLaunches("streamlake_bench_features");
        ServerProcess redis = ServerProcess.start("redis", List.of("redis-server", "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--save", "", "--appendonly", "no"), work, work.resolve("redis.log"))
                .awaitReady(() -> FeaturesBenchmark.answers(port), Duration.ofSeconds(20));
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            System.out.printf("%nfeature tasks benchmark: %d trials, %,d entities x 10 features, %d cores%n", TRIALS, ENTITIES,
                    Runtime.getRuntime().availableProcessors());
            clickhouse.query("CREATE DATABASE bench");
            clickhouse.query("CREATE TABLE bench.entity_stats (customer_id String, event_timestamp DateTime64(3, 'UTC'), "
                    + String.join(", ", features().stream().map(f -> f + " Float64").toList()) + ") ENGINE = MergeTree ORDER BY customer_id");
            clickhouse.query("INSERT INTO bench.entity_stats SELECT concat('E', toString(number)), now64(3) - 600 - (number % 3600), "
                    + String.join(", ", features().stream().map(f -> "number * " + (f.length() % 7 + 1) + ".25").toList())
                    + " FROM numbers(" + ENTITIES + ")");
            Path registry = work.resolve("bench-features.yaml");
            Files.writeString(registry, "project: bench\nentities:\n  - {name: customer, join_key: customer_id, value_type: String}\n"
                    + "feature_views:\n  - name: entity_stats\n    entities: [customer]\n    ttl: 7d\n"
                    + "    source: {store: clickhouse, query: 'SELECT customer_id, event_timestamp, " + String.join(", ", features())
                    + " FROM bench.entity_stats'}\n    features:\n"
                    + String.join("", features().stream().map(f -> "      - {name: " + f + ", dtype: Float64}\n").toList()));
            Path entities = work.resolve("entities.csv");
            try (BufferedWriter w = Files.newBufferedWriter(entities, StandardCharsets.UTF_8)) {
                w.write("customer_id,event_timestamp,label\n");
                String now = Instant.now().toString();
                for (int i = 0; i < ENTITIES; i++) {
                    w.write("E" + i + "," + now + "," + (i % 2) + "\n");
                }
            }

            double[] hset = new double[TRIALS];
            double[] values = new double[TRIALS];
            double[] wall = new double[TRIALS];
            double[] historical = new double[TRIALS];
            long[] historicalRss = new long[TRIALS];
            long[] clickhouseRss = new long[TRIALS];
            for (int t = 0; t < TRIALS; t++) {
                new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "flushall").start().waitFor();
                hset[t] = FeaturesBenchmark.redisBenchmark(port, "-n", "500000", "-c", "50", "-P", "16", "-t", "hset")[0];
                new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "flushall").start().waitFor();
                tasks.recreate();
                long start = System.nanoTime();
                TaskLaunches.Run m = tasks.launch(StreamAppProcess.appJar("batch-tasks/feature-materialization", "feature-materialization"),
                        work.resolve("materialization-" + t + ".log"),
                        "--feature-materialization.registry-file=" + registry,
                        "--feature-materialization.clickhouse.url=" + clickhouse.jdbcUrl("bench"),
                        "--feature-materialization.redis.uri=redis://127.0.0.1:" + port,
                        "--feature-materialization.chunk-size=20000");
                wall[t] = (System.nanoTime() - start) / 1e9;
                if (m.exit() != 0) {
                    throw new IllegalStateException("feature-materialization exited " + m.exit() + "; see " + work);
                }
                values[t] = ENTITIES * 10.0 / tasks.jobSeconds("feature-materialization");
                long keys = Long.parseLong(new String(new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "dbsize").start()
                        .getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                if (keys != ENTITIES) {
                    throw new IllegalStateException("Redis holds " + keys + " keys after materializing " + ENTITIES + " entities");
                }
                TaskLaunches.Run h = tasks.launch(StreamAppProcess.appJar("batch-tasks/historical-features", "historical-features"),
                        work.resolve("historical-" + t + ".log"),
                        "--historical-features.registry-file=" + registry,
                        "--historical-features.entity-file=" + entities,
                        "--historical-features.features=" + String.join(",", features().stream().map(f -> "entity_stats:" + f).toList()),
                        "--historical-features.output-dir=" + work.resolve("training"),
                        "--historical-features.clickhouse.url=" + clickhouse.jdbcUrl("bench"));
                if (h.exit() != 0) {
                    throw new IllegalStateException("historical-features exited " + h.exit() + "; see " + work);
                }
                historical[t] = tasks.jobSeconds("historical-features");
                historicalRss[t] = h.peakRssKb();
                clickhouseRss[t] = TaskLaunches.peakRssKb(clickhouse.pid());
                System.out.printf("trial %d: redis-benchmark hset -P16 %,.0f/s, materialization %,.0f values/s (%.1f s wall),"
                                + " historical-features %.1f s (task peak RSS %,d MB)%n", t + 1, hset[t], values[t], wall[t], historical[t],
                        historicalRss[t] / 1024);
            }
            double v = Stats.median(values);
            double a = Stats.median(hset);
            System.out.println();
            System.out.println("| measurement | median | anchor (median, same run) | ratio | goal |");
            System.out.println("|---|---:|---:|---:|---|");
            System.out.printf("| feature-materialization, 1M entities x 10 features, feature values/s | %,.0f | redis-benchmark hset -P 16: %,.0f requests/s | %.2f | ≥ 0.40 |%n",
                    v, a, v / a);
            System.out.printf("| feature-materialization, whole task (JVM start to exit), s | %.1f | | | < 60 s |%n", Stats.median(wall));
            System.out.printf("| historical-features, 1M entity rows x 10 features (CSV + Parquet), job s | %.1f | | | reported |%n",
                    Stats.median(historical));
            System.out.printf("| historical-features peak RSS: task JVM / ClickHouse server, MB | %,d / %,d | | | reported |%n",
                    historicalRss[TRIALS / 2] / 1024, clickhouseRss[TRIALS - 1] / 1024);
        } finally {
            redis.stop(Duration.ofSeconds(10));
            tasks.drop();
        }
    }

    private static List<String> features() {
        List<String> f = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            f.add("stat_" + i);
        }
        return f;
    }
}
