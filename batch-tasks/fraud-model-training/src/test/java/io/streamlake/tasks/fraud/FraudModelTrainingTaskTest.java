package io.streamlake.tasks.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.testsupport.TestClickHouse;
import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fraud-model-training task from its Spring Boot application, against the embedded ClickHouse (seeded labelled
 * events, {@link LabelledCasinoEvents}) and PostgreSQL (task repository and model registry): metrics recomputed here
 * from the saved predictions, champion/challenger, and a leakage probe.
 */
class FraudModelTrainingTaskTest {

    @TempDir
    static Path dir;
    private static String clickhouse;
    private static String repo;
    private static final Instant START = Instant.parse("2026-06-01T08:00:00Z");

    @BeforeAll
    static void stores() {
        clickhouse = TestClickHouse.createDatabase("fraud");
        repo = TestPostgres.createSchema("fraud_repo");
        LabelledCasinoEvents.createTable(clickhouse);
        LabelledCasinoEvents.insert(clickhouse, 2026, 1500, 0.06, START, 3);
    }

    @AfterAll
    static void drop() {
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + clickhouse);
        TestPostgres.dropSchema(repo);
    }

    private static int launch(String workDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + TestPostgres.jdbcUrl(repo),
                "--spring.datasource.username=" + TestPostgres.user(), "--spring.datasource.password=" + TestPostgres.password(),
                "--fraud-model-training.clickhouse.url=" + TestClickHouse.jdbcUrl(clickhouse),
                "--fraud-model-training.work-dir=" + dir.resolve(workDir)));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(a -> a.startsWith("--fraud-model-training.rounds="))) {
            args.add("--fraud-model-training.rounds=120");
        }
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(FraudModelTrainingApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException failed) {
            failed.printStackTrace();
            return 1;
        }
    }

    private static Path run(String workDir) throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve(workDir))) {
            return runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static List<String> registry(String table) throws Exception {
        return TestPostgres.rows("SELECT version || ':' || status || ':' || (metrics->'metrics'->>'eventPrAuc') FROM "
                + repo + "." + table + " ORDER BY version");
    }

    @Test
    void metricsAreTheSavedPredictionsAndAWorseChallengerDoesNotTakeOver() throws Exception {
        assertThat(launch("first", "--fraud-model-training.registry-table=models_a")).isZero();
        Path first = run("first");
        JsonNode report = Json.mapper().readTree(Files.readString(TrainingRun.report(first)));
        JsonNode m = report.get("metrics");
        Predictions p = Predictions.read(TrainingRun.predictions(first), 4);
        assertThat(p.size()).isEqualTo(report.get("eval_rows").asInt()).isGreaterThan(1000);
        // recomputed here, independently of ModelEvaluation: pair counting for ROC-AUC, precision at each positive for PR-AUC
        assertThat(m.get("eventRocAuc").asDouble()).isCloseTo(pairwiseAuc(p.scores, p.positive), within(1e-9));
        assertThat(m.get("eventPrAuc").asDouble()).isCloseTo(averagePrecision(p.scores, p.positive), within(1e-9));
        double threshold = report.get("threshold").asDouble();
        Map<String, Double> maxScore = new HashMap<>();
        Map<String, String> kind = new HashMap<>();
        for (int i = 0; i < p.size(); i++) {
            maxScore.merge(p.customers.get(i), p.scores[i], Math::max);
            kind.put(p.customers.get(i), p.kinds.get(i));
        }
        Map<String, int[]> flaggedOfKind = new TreeMap<>();
        for (String c : maxScore.keySet()) {
            int[] k = flaggedOfKind.computeIfAbsent(kind.get(c), x -> new int[2]);
            k[0]++;
            k[1] += maxScore.get(c) >= threshold ? 1 : 0;
        }
        int anomalous = 0;
        int anomalousFlagged = 0;
        for (String k : LabelledCasinoEvents.KINDS) {
            int[] f = flaggedOfKind.getOrDefault(k, new int[2]);
            anomalous += f[0];
            anomalousFlagged += f[1];
            JsonNode km = m.get("kinds").get(k);
            assertThat(km.get("customers").asInt()).as(k).isEqualTo(f[0]);
            assertThat(km.get("recall").asDouble()).as(k).isCloseTo((double) f[1] / f[0], within(1e-9));
            assertThat(km.get("precision").asDouble()).as(k)
                    .isCloseTo((double) f[1] / (f[1] + flaggedOfKind.get("normal")[1]), within(1e-9));
        }
        assertThat(m.get("customerRecall").asDouble()).isCloseTo((double) anomalousFlagged / anomalous, within(1e-9));
        assertThat(m.get("customerPrecision").asDouble())
                .isCloseTo((double) anomalousFlagged / (anomalousFlagged + flaggedOfKind.get("normal")[1]), within(1e-9));
        // the seeded anomalies are easy: a sanity floor, not the goal (BENCHMARKS.md measures the simulator's)
        assertThat(m.get("customerRocAuc").asDouble()).isGreaterThan(0.9);
        assertThat(report.get("promote").asBoolean()).isTrue();
        assertThat(Instant.parse(report.get("train_to").asText())).isBefore(Instant.parse(report.get("eval_from").asText()));
        assertThat(registry("models_a")).hasSize(1).allMatch(r -> r.startsWith("1:champion:"));
        rulesAreTheScorersAndReportedAloneAndWithTheModel(first, report);

        // a model on one weak feature, few rounds: scored beside the champion on the same rows, not promoted
        assertThat(launch("second", "--fraud-model-training.registry-table=models_a", "--fraud-model-training.rounds=2",
                "--fraud-model-training.max-depth=1", "--fraud-model-training.features=customer_lifetime:lifetime_deposits")).isZero();
        Path second = run("second");
        JsonNode again = Json.mapper().readTree(Files.readString(TrainingRun.report(second)));
        assertThat(again.get("promote").asBoolean()).isFalse();
        assertThat(again.get("champion_version").asLong()).isEqualTo(1);
        assertThat(again.get("champion_metrics").get("eventPrAuc").asDouble()).isCloseTo(m.get("eventPrAuc").asDouble(), within(1e-9));
        Predictions both = Predictions.read(TrainingRun.predictions(second), 5);
        assertThat(both.size()).isEqualTo(p.size());
        assertThat(registry("models_a")).hasSize(2);
        assertThat(registry("models_a").get(0)).startsWith("1:champion:");
        assertThat(registry("models_a").get(1)).startsWith("2:challenger:");
    }

    /**
     * The rules' decisions in predictions.csv: BET_ABOVE_10X_AVERAGE checked by hand against the training set's own
     * values, and the rules-alone and model-and-rules metrics per kind recomputed from the saved decisions.
     */
    private static void rulesAreTheScorersAndReportedAloneAndWithTheModel(Path run, JsonNode report) throws IOException {
        List<String> predictions = Files.readAllLines(TrainingRun.predictions(run));
        assertThat(predictions.get(0)).isEqualTo("event_id,customer_id,event_time,kind,score,rules");
        List<String> set = Files.readAllLines(TrainingRun.trainingSet(run));
        List<String> columns = List.of(set.get(0).split("\t", -1));
        int activity = columns.indexOf("game_activity");
        int bet = columns.indexOf("bet_amount");
        int avg = columns.indexOf("avg_bet_1h");
        assertThat(avg).isPositive();
        int firstEval = set.size() - (predictions.size() - 1);
        int spikes = 0;
        Map<String, Boolean> ruleFlagged = new HashMap<>();
        Map<String, Boolean> bothFlagged = new HashMap<>();
        Map<String, String> kind = new HashMap<>();
        double threshold = report.get("threshold").asDouble();
        for (int i = 1; i < predictions.size(); i++) {
            String[] pr = predictions.get(i).split(",", -1);
            String[] row = set.get(firstEval + i - 1).split("\t", -1);
            assertThat(row[0]).isEqualTo(pr[0]);
            List<String> fired = pr[5].isEmpty() ? List.of() : List.of(pr[5].split("\\|"));
            boolean expected = row[activity].equals("bet") && !row[avg].equals("\\N")
                    && Double.parseDouble(row[bet]) > 10 * Double.parseDouble(row[avg]);
            assertThat(fired.contains("BET_ABOVE_10X_AVERAGE")).as(predictions.get(i)).isEqualTo(expected);
            spikes += expected ? 1 : 0;
            ruleFlagged.merge(pr[1], !fired.isEmpty(), Boolean::logicalOr);
            bothFlagged.merge(pr[1], !fired.isEmpty() || Double.parseDouble(pr[4]) >= threshold, Boolean::logicalOr);
            kind.put(pr[1], pr[3]);
        }
        assertThat(spikes).as("bet spikes the rule catches in the evaluation window").isPositive();
        for (String metrics : List.of("rules_metrics", "model_and_rules_metrics")) {
            Map<String, Boolean> flagged = metrics.equals("rules_metrics") ? ruleFlagged : bothFlagged;
            long normalFlagged = flagged.entrySet().stream().filter(e -> kind.get(e.getKey()).equals("normal") && e.getValue()).count();
            for (String k : LabelledCasinoEvents.KINDS) {
                long of = kind.values().stream().filter(k::equals).count();
                long hit = flagged.entrySet().stream().filter(e -> kind.get(e.getKey()).equals(k) && e.getValue()).count();
                JsonNode km = report.get(metrics).get("kinds").get(k);
                assertThat(km.get("recall").asDouble()).as(metrics + " " + k).isCloseTo((double) hit / of, within(1e-9));
                if (hit + normalFlagged > 0) {
                    assertThat(km.get("precision").asDouble()).as(metrics + " " + k)
                            .isCloseTo((double) hit / (hit + normalFlagged), within(1e-9));
                }
            }
        }
    }

    @Test
    void aFeatureThatCopiesTheLabelOnlyAfterTheEventsDoesNotHelp() throws Exception {
        // leak_probe.leaked is the customer's label, known one second after their last event: a naive join (each
        // customer's latest value) hands it to every example; a point-in-time join to none.
        String casino;
        try (InputStream in = FeatureRegistryLoader.class.getClassLoader().getResourceAsStream("io/streamlake/features/casino-features.yaml")) {
            casino = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String probe = """
                  - name: leak_probe
                    entities: [customer]
                    ttl: 30d
                    source:
                      store: clickhouse
                      query: >-
                        SELECT customer_id, max(activity_datetime) + INTERVAL 1 SECOND AS event_timestamp,
                        toFloat64(any(ground_truth) != 'normal') AS leaked FROM casino_events GROUP BY customer_id
                    features:
                      - {name: leaked, dtype: Float64}

                """;
        Path registryFile = dir.resolve("with-probe.yaml");
        Files.writeString(registryFile, casino.replace("\non_demand_feature_views:", "\n" + probe + "on_demand_feature_views:"));
        assertThat(TestClickHouse.shared().query(clickhouse, "SELECT min(leaked), max(leaked), count() FROM (SELECT customer_id,"
                + " toFloat64(any(ground_truth) != 'normal') AS leaked FROM casino_events GROUP BY customer_id)").strip())
                .startsWith("0\t1\t");

        String service = String.join(",", FeatureRegistryLoader.casino().featureService("fraud_detection").orElseThrow());
        assertThat(launch("plain", "--fraud-model-training.registry-table=models_b", "--fraud-model-training.features=" + service)).isZero();
        assertThat(launch("probed", "--fraud-model-training.registry-table=models_c", "--fraud-model-training.registry-file=" + registryFile,
                "--fraud-model-training.features=" + service + ",leak_probe:leaked")).isZero();
        List<String> header = Files.readAllLines(TrainingRun.trainingSet(run("probed"))).subList(0, 1);
        assertThat(header.get(0)).endsWith("\tleaked");
        try (Stream<String> lines = Files.lines(TrainingRun.trainingSet(run("probed")))) {
            assertThat(lines.skip(1).map(l -> l.substring(l.lastIndexOf('\t') + 1)).distinct().toList())
                    .as("the probe is never known at an example's time").containsExactly("\\N");
        }
        double plain = Json.mapper().readTree(Files.readString(TrainingRun.report(run("plain")))).get("metrics").get("eventPrAuc").asDouble();
        double probed = Json.mapper().readTree(Files.readString(TrainingRun.report(run("probed")))).get("metrics").get("eventPrAuc").asDouble();
        assertThat(probed).isCloseTo(plain, within(1e-9));
        assertThat(probed).isLessThan(0.999); // the label itself would make it perfect
    }

    /** The evaluation's saved predictions. */
    private record Predictions(List<String> customers, List<String> kinds, double[] scores, boolean[] positive) {
        int size() {
            return scores.length;
        }

        static Predictions read(Path file, int scoreColumn) throws IOException {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.get(0).split(",")[scoreColumn]).isIn("score", "champion_score");
            List<String> customers = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            double[] scores = new double[lines.size() - 1];
            boolean[] positive = new boolean[scores.length];
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                customers.add(f[1]);
                kinds.add(f[3]);
                scores[i - 1] = Double.parseDouble(f[4]);
                positive[i - 1] = !f[3].equals("normal");
            }
            return new Predictions(customers, kinds, scores, positive);
        }
    }

    /** ROC-AUC by counting every (positive, negative) pair, ties half. */
    private static double pairwiseAuc(double[] scores, boolean[] positive) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            (positive[i] ? pos : neg).add(scores[i]);
        }
        double[] negs = neg.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double wins = 0;
        for (double s : pos) {
            int below = lowerBound(negs, s);
            int notAbove = lowerBound(negs, Math.nextUp(s));
            wins += below + (notAbove - below) / 2.0;
        }
        return wins / ((double) pos.size() * negs.length);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Average precision: for each distinct score, highest first, the precision there times the recall it adds. */
    private static double averagePrecision(double[] scores, boolean[] positive) {
        TreeMap<Double, int[]> byScore = new TreeMap<>(java.util.Comparator.reverseOrder());
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            int[] c = byScore.computeIfAbsent(scores[i], x -> new int[2]);
            c[0]++;
            c[1] += positive[i] ? 1 : 0;
            positives += positive[i] ? 1 : 0;
        }
        double ap = 0;
        int seen = 0;
        int tp = 0;
        for (int[] c : byScore.values()) {
            seen += c[0];
            tp += c[1];
            ap += (double) c[1] / positives * tp / seen;
        }
        return ap;
    }
}
