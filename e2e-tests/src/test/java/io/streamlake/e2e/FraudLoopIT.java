package io.streamlake.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.streamlake.clickhouse.embedded.EmbeddedClickHouse;
import io.streamlake.common.json.Json;
import io.streamlake.models.ModelRegistry;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestFeatureDefinitions;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.streamlake.testsupport.StreamAppProcess.args;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AI loop from the jars, as the definitions deploy it: casino-events | event-validator | clickhouse (labels from
 * the ground-truth header) and > feature-aggregator | redis-features; fraud-model-training trains and registers a
 * champion from those labelled events; then casino-fraud (> fraud-scorer | alert, a webhook receiver here) scores the
 * same customers' new events: the anomalous ones are alerted, the normal ones mostly not; a champion promoted while
 * they stream is taken up with every event scored once.
 */
class FraudLoopIT {

    private static final int TRAINING_EVENTS = 120_000;
    private static final int LIVE_EVENTS = 40_000;

    @TempDir
    Path work;

    @Test
    void aModelTrainedOnTheLabelledStreamAlertsTheAnomalousCustomersOfLaterEvents() throws Exception {
        String stream = UniqueNames.next("fraud_loop");
        String project = UniqueNames.next("casino");
        String database = UniqueNames.next("fraud_loop");
        String repo = TestPostgres.createSchema("fraud_loop");
        Path definitions = TestFeatureDefinitions.withProject("io/streamlake/features/casino-features.yaml", project, work);
        String redisUri = "redis://" + TestRedis.host() + ":" + TestRedis.port();
        List<String> common = List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--streamlake.dlq.destination=" + stream + ".dlq", "--spring.cloud.stream.kafka.binder.min-partition-count=2");
        List<String> source = args(common, "--spring.cloud.stream.bindings.output.destination=" + stream + ".casino-events",
                "--casino-events.events-per-second=4000", "--casino-events.customers=1500", "--casino-events.seed=17",
                "--casino-events.anomalous-customer-share=0.06");
        Map<String, JsonNode> webhook = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            JsonNode alert = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            webhook.put(alert.get("key").asText(), alert);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        List<StreamAppProcess> apps = new ArrayList<>();
        try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.builder().dataDir(work.resolve("clickhouse")).build().start()) {
            String clickhouseJdbc = clickhouse.jdbcUrl(database);
            apps.add(StreamAppProcess.start("clickhouse", StreamAppProcess.appJar("sinks/clickhouse", "clickhouse-sink"), work,
                    args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".event-validator",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--clickhouse.url=" + clickhouse.httpUrl(),
                            "--clickhouse.database=" + database, "--clickhouse.header-columns.x-ground-truth=ground_truth")));
            apps.add(StreamAppProcess.start("event-validator", StreamAppProcess.appJar("processors/event-validator", "event-validator"),
                    work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".casino-events",
                            "--spring.cloud.stream.bindings.input.group=" + stream,
                            "--spring.cloud.stream.bindings.output.destination=" + stream + ".event-validator")));
            apps.add(StreamAppProcess.start("feature-aggregator", StreamAppProcess.appJar("processors/feature-aggregator",
                    "feature-aggregator"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream
                    + ".event-validator", "--spring.cloud.stream.bindings.input.group=" + stream + "-features",
                    "--feature-aggregator.definitions=" + definitions,
                    "--spring.cloud.stream.bindings.output.destination=" + stream + ".feature-aggregator")));
            apps.add(StreamAppProcess.start("redis-features", StreamAppProcess.appJar("sinks/redis-features", "redis-features-sink"),
                    work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".feature-aggregator",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--redis-features.uri=" + redisUri,
                            "--redis-features.definitions=" + definitions)));
            for (StreamAppProcess app : apps) {
                app.awaitHealthy(Duration.ofMinutes(3));
            }
            StreamAppProcess history = StreamAppProcess.start("casino-events", StreamAppProcess.appJar("sources/casino-events",
                    "casino-events"), work, args(source, "--casino-events.max-events=" + TRAINING_EVENTS));
            apps.add(history);
            Await.until(() -> count(clickhouse, database) >= TRAINING_EVENTS, Duration.ofMinutes(4), "the labelled events in ClickHouse");

            // Train and register the first champion from the labelled events, as casino-fraud-training would.
            Path log = work.resolve("fraud-model-training.log");
            Process training = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", StreamAppProcess.appJar("batch-tasks/fraud-model-training", "fraud-model-training").toString(),
                    "--spring.datasource.url=" + TestPostgres.jdbcUrl(repo), "--spring.datasource.username=" + TestPostgres.user(),
                    "--spring.datasource.password=" + TestPostgres.password(), "--fraud-model-training.clickhouse.url=" + clickhouseJdbc,
                    "--fraud-model-training.work-dir=" + work.resolve("models"))).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            assertThat(training.waitFor(4, TimeUnit.MINUTES)).as("training finished; see " + log).isTrue();
            assertThat(training.exitValue()).as(Files.readString(log)).isZero();
            JsonNode report;
            try (var runs = Files.list(work.resolve("models"))) {
                report = Json.mapper().readTree(runs.findFirst().orElseThrow().resolve("metrics.json").toFile());
            }
            System.out.println("fraud model on the simulator's later window: " + report.get("metrics"));
            assertThat(report.get("promote").asBoolean()).isTrue();
            assertThat(report.at("/metrics/customerRocAuc").asDouble()).isGreaterThan(0.9);

            // casino-fraud: the scorer taps the validated events (from now on) and the alert sink posts to the receiver.
            StreamAppProcess alert = StreamAppProcess.start("alert", StreamAppProcess.appJar("sinks/alert", "alert-sink"), work,
                    args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".fraud-scorer",
                            "--spring.cloud.stream.bindings.input.group=" + stream, "--alert.redis-uri=" + redisUri,
                            "--alert.redis-prefix=" + project + ":", "--alert.rate-limit-per-minute=100000",
                            "--alert.webhook.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts"));
            apps.add(alert);
            StreamAppProcess scorer = StreamAppProcess.start("fraud-scorer", StreamAppProcess.appJar("processors/fraud-scorer",
                    "fraud-scorer"), work, args(common, "--spring.cloud.stream.bindings.input.destination=" + stream + ".event-validator",
                    "--spring.cloud.stream.bindings.input.group=" + stream + "-fraud",
                    "--spring.cloud.stream.kafka.bindings.input.consumer.start-offset=latest",
                    "--spring.cloud.stream.bindings.output.destination=" + stream + ".fraud-scorer",
                    "--fraud-scorer.scored-destination=" + stream + ".scored", "--fraud-scorer.definitions=" + definitions,
                    "--fraud-scorer.redis-uri=" + redisUri, "--fraud-scorer.registry-url=" + TestPostgres.jdbcUrl(repo),
                    "--fraud-scorer.registry-username=" + TestPostgres.user(),
                    "--fraud-scorer.registry-password=" + TestPostgres.password(), "--fraud-scorer.model-refresh=1s"));
            apps.add(scorer);
            alert.awaitHealthy(Duration.ofMinutes(3));
            scorer.awaitHealthy(Duration.ofMinutes(3));
            Thread.sleep(5000); // its partitions assigned before the new events (it starts at the latest offsets)
            Instant liveFrom = Instant.now();
            apps.add(StreamAppProcess.start("casino-events-live", StreamAppProcess.appJar("sources/casino-events", "casino-events"),
                    work, args(source, "--casino-events.max-events=" + LIVE_EVENTS)));
            // A newly promoted champion (here the same trees registered again, as a retraining that wins would be)
            // once a quarter of the live events are scored: taken up mid-stream by the running scorer.
            String scored = stream + ".scored";
            Await.until(() -> TopicReader.endOffsets(scored) >= LIVE_EVENTS / 4, Duration.ofMinutes(2), "a quarter of the live events scored");
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(TestPostgres.jdbcUrl(repo));
            ds.setUser(TestPostgres.user());
            ds.setPassword(TestPostgres.password());
            ModelRegistry registry = new ModelRegistry(ds, "fraud_models");
            ModelRegistry.Registered first = registry.champion("casino-fraud").orElseThrow();
            Instant now = Instant.now();
            long second = registry.register(new ModelRegistry.Entry("casino-fraud", first.features(), first.threshold(),
                    first.metrics(), now, now, now, now, first.artifact(), -1), true);
            Await.until(() -> count(clickhouse, database) >= TRAINING_EVENTS + LIVE_EVENTS, Duration.ofMinutes(3), "the live events");

            // Every live event scored once, by the first champion and then, in each partition's order, by the second.
            Await.until(() -> TopicReader.endOffsets(scored) >= LIVE_EVENTS, Duration.ofMinutes(2), "every live event scored");
            Set<String> ids = new java.util.HashSet<>();
            Map<Integer, List<Long>> versions = new HashMap<>();
            for (var r : TopicReader.read(scored, LIVE_EVENTS, Duration.ofMinutes(1))) {
                JsonNode n = Json.mapper().readTree(r.value());
                assertThat(ids.add(n.get("event_id").asText())).as("scored once: " + n.get("event_id")).isTrue();
                if (!n.get("model_version").isNull()) {
                    versions.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(n.get("model_version").asLong());
                }
            }
            assertThat(ids).hasSize(LIVE_EVENTS);
            assertThat(versions.values().stream().flatMap(List::stream).distinct()).containsExactlyInAnyOrder(first.version(), second);
            for (List<Long> order : versions.values()) {
                int switched = order.indexOf(second);
                assertThat(order.subList(0, switched < 0 ? order.size() : switched)).allMatch(v -> v == first.version());
                if (switched >= 0) {
                    assertThat(order.subList(switched, order.size())).allMatch(v -> v == second);
                }
            }

            // The customers who played live, by their label, against who was alerted.
            Map<String, String> kinds = new HashMap<>();
            clickhouse.query("SELECT customer_id, any(ground_truth) FROM " + database + ".casino_events WHERE activity_datetime >= "
                    + "toDateTime64('" + liveFrom.toString().replace("T", " ").replace("Z", "") + "', 3, 'UTC') AND game_activity IN"
                    + " ('bet', 'win', 'bonus') GROUP BY customer_id FORMAT TSV").lines()
                    .forEach(l -> kinds.put(l.split("\t")[0], l.split("\t")[1]));
            Set<String> anomalous = new java.util.HashSet<>();
            kinds.forEach((c, k) -> {
                if (!k.equals("normal")) {
                    anomalous.add(c);
                }
            });
            assertThat(anomalous).hasSizeGreaterThan(10);
            Await.until(() -> webhook.keySet().stream().filter(anomalous::contains).count() >= anomalous.size() * 0.7,
                    Duration.ofMinutes(2), "alerts for 70% of the anomalous customers");
            Thread.sleep(3000);
            long normal = kinds.size() - anomalous.size();
            long falseAlerts = webhook.keySet().stream().filter(c -> "normal".equals(kinds.get(c))).count();
            System.out.printf("live: %d customers, %d anomalous, %d of them alerted; %d of %d normal alerted%n", kinds.size(),
                    anomalous.size(), webhook.keySet().stream().filter(anomalous::contains).count(), falseAlerts, normal);
            assertThat((double) falseAlerts / normal).as("normal customers alerted").isLessThan(0.05);
            JsonNode some = webhook.get(anomalous.stream().filter(webhook::containsKey).findFirst().orElseThrow());
            assertThat(some.get("kind").asText()).isEqualTo("fraud");
            assertThat(some.get("reasons").size()).isPositive();
        } catch (AssertionError | RuntimeException e) {
            StreamAppProcess.printLogTails(apps, 40);
            throw e;
        } finally {
            apps.forEach(StreamAppProcess::close);
            receiver.stop(0);
            TestRedis.deleteKeysEndingWith(project);
            TestRedis.deleteKeys(project + ":");
            TestPostgres.dropSchema(repo);
        }
    }

    private static long count(EmbeddedClickHouse clickhouse, String database) {
        try {
            return Long.parseLong(clickhouse.query("SELECT count() FROM " + database + ".casino_events").strip());
        } catch (RuntimeException notYet) {
            return 0;
        }
    }
}
