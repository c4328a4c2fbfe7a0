package io.streamlake.tasks.fraud;

import io.streamlake.models.FraudModel;
import io.streamlake.models.ModelInputs;
import io.streamlake.models.ModelRegistry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code train} step: the training set split by time (train on the earliest examples, choose the threshold and stop
 * early on the next window, evaluate on the latest), XGBoost's trees trained ({@link FraudModel}), the evaluation
 * window scored by the new model, by the current champion, by the scorer's rules alone and by the model and rules
 * together ({@link ModelEvaluation}, the same rows), and the model,
 * the evaluation's predictions and a report written to the run's folder for the {@code register} step.
 */
final class TrainTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(TrainTasklet.class);

    private final TrainingRun run;
    private final ModelRegistry models;

    TrainTasklet(TrainingRun run, ModelRegistry models) {
        this.run = run;
        this.models = models;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        FraudModelTrainingProperties p = run.properties();
        long started = System.nanoTime();
        Path folder = run.folder(chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId());
        TrainingSet set = TrainingSet.read(TrainingRun.trainingSet(folder));
        int n = set.size;
        int validFrom = (int) (n * (1 - p.getEvaluationFraction() - p.getValidationFraction()));
        int evalFrom = (int) (n * (1 - p.getEvaluationFraction()));
        String normal = p.getNormalLabel();
        if (validFrom < 10 || evalFrom - validFrom < 10 || n - evalFrom < 10) {
            throw new IllegalStateException("too few examples to train and evaluate: " + n);
        }
        float[] trainLabels = set.labels(normal, 0, validFrom);
        if (!hasBoth(trainLabels) || !hasBoth(set.labels(normal, evalFrom, n))) {
            throw new IllegalStateException("the training and evaluation windows each need both normal and anomalous"
                    + " examples (" + n + " examples)");
        }
        contribution.incrementReadCount();
        log.info("{} examples: training {} ({} to {}), validation {}, evaluation {} ({} to {})", n, validFrom,
                Instant.ofEpochMilli(set.times[0]), Instant.ofEpochMilli(set.times[validFrom - 1]), evalFrom - validFrom,
                n - evalFrom, Instant.ofEpochMilli(set.times[evalFrom]), Instant.ofEpochMilli(set.times[n - 1]));

        ModelInputs inputs = new ModelInputs(run.features());
        FraudModel model = FraudModel.train(inputs, set.matrix(inputs, 0, validFrom), trainLabels,
                set.matrix(inputs, validFrom, evalFrom), set.labels(normal, validFrom, evalFrom),
                new FraudModel.Settings(p.getRounds(), p.getMaxDepth(), p.getLearningRate(), p.getSeed()));
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        double threshold = ModelEvaluation.bestCustomerThreshold(model.score(set.matrix(inputs, validFrom, evalFrom)),
                Arrays.copyOfRange(set.kinds, validFrom, evalFrom), Arrays.copyOfRange(set.customers, validFrom, evalFrom), normal);
        String[] evalKinds = Arrays.copyOfRange(set.kinds, evalFrom, n);
        String[] evalCustomers = Arrays.copyOfRange(set.customers, evalFrom, n);
        double[] scores = model.score(set.matrix(inputs, evalFrom, n));
        ModelEvaluation.Metrics metrics = ModelEvaluation.evaluate(scores, evalKinds, evalCustomers, normal, threshold);
        // the scorer alerts when the model reaches its threshold or a rule fires: the rules alone score 1 when one
        // fires (0 otherwise); together, an event a rule fires on ranks above every other (1 + its model score)
        List<List<String>> fired = set.firedRules(run.rules(), evalFrom, n);
        double[] ruleScores = new double[scores.length];
        double[] combinedScores = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            boolean any = !fired.get(i).isEmpty();
            ruleScores[i] = any ? 1 : 0;
            combinedScores[i] = any ? 1 + scores[i] : scores[i];
        }
        ModelEvaluation.Metrics rulesMetrics = ModelEvaluation.evaluate(ruleScores, evalKinds, evalCustomers, normal, 1);
        ModelEvaluation.Metrics combinedMetrics = ModelEvaluation.evaluate(combinedScores, evalKinds, evalCustomers, normal,
                threshold);

        Optional<ModelRegistry.Registered> champion = models.champion(p.getModelName());
        double[] championScores = null;
        ModelEvaluation.Metrics championMetrics = null;
        if (champion.isPresent()) {
            FraudModel current = FraudModel.load(champion.get().features(), champion.get().artifact());
            championScores = current.score(set.matrix(current.inputs(), evalFrom, n));
            championMetrics = ModelEvaluation.evaluate(championScores, evalKinds, evalCustomers, normal, champion.get().threshold());
        }
        // promoted when it ranks the evaluation window's events better than the champion does (threshold-free)
        boolean promote = championMetrics == null || metrics.eventPrAuc() > championMetrics.eventPrAuc();

        Files.write(TrainingRun.model(folder), model.artifact());
        writePredictions(TrainingRun.predictions(folder), set, evalFrom, scores, championScores, fired);
        ObjectNode report = Json.mapper().createObjectNode();
        report.put("model", p.getModelName());
        report.set("features", Json.mapper().valueToTree(run.features()));
        report.put("threshold", threshold);
        report.put("rounds", model.rounds());
        report.put("train_from", Instant.ofEpochMilli(set.times[0]).toString());
        report.put("train_to", Instant.ofEpochMilli(set.times[validFrom - 1]).toString());
        report.put("validation_from", Instant.ofEpochMilli(set.times[validFrom]).toString());
        report.put("eval_from", Instant.ofEpochMilli(set.times[evalFrom]).toString());
        report.put("eval_to", Instant.ofEpochMilli(set.times[n - 1]).toString());
        report.put("train_rows", validFrom);
        report.put("validation_rows", evalFrom - validFrom);
        report.put("eval_rows", n - evalFrom);
        report.put("train_seconds", trainSeconds);
        report.put("peak_resident_mb", peakResidentMegabytes());
        report.set("metrics", Json.mapper().valueToTree(metrics));
        report.set("rules_metrics", Json.mapper().valueToTree(rulesMetrics));
        report.set("model_and_rules_metrics", Json.mapper().valueToTree(combinedMetrics));
        if (champion.isPresent()) {
            report.put("champion_version", champion.get().version());
            report.set("champion_metrics", Json.mapper().valueToTree(championMetrics));
        }
        report.put("promote", promote);
        Files.writeString(TrainingRun.report(folder), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        contribution.incrementWriteCount(1);
        log.info("Model: {} rounds in {} s, threshold {}; evaluation window: ROC-AUC {} and PR-AUC {} per event, {} and {}"
                        + " per customer; customers flagged: precision {}, recall {}; per kind {}", model.rounds(),
                String.format("%.1f", trainSeconds), String.format("%.3f", threshold), f(metrics.eventRocAuc()),
                f(metrics.eventPrAuc()), f(metrics.customerRocAuc()), f(metrics.customerPrAuc()), f(metrics.customerPrecision()),
                f(metrics.customerRecall()), metrics.kinds());
        log.info("Rules alone on the same window: ROC-AUC {} per customer, customers flagged: precision {}, recall {};"
                        + " model and rules: ROC-AUC {} per customer, precision {}, recall {}; per kind {}",
                f(rulesMetrics.customerRocAuc()), f(rulesMetrics.customerPrecision()), f(rulesMetrics.customerRecall()),
                f(combinedMetrics.customerRocAuc()), f(combinedMetrics.customerPrecision()), f(combinedMetrics.customerRecall()),
                combinedMetrics.kinds());
        if (championMetrics != null) {
            log.info("Champion version {} on the same window: PR-AUC {} per event ({} the new model's {})",
                    champion.get().version(), f(championMetrics.eventPrAuc()), promote ? "below" : "not below",
                    f(metrics.eventPrAuc()));
        }
        return RepeatStatus.FINISHED;
    }

    private static boolean hasBoth(float[] labels) {
        boolean one = false;
        boolean zero = false;
        for (float y : labels) {
            one |= y == 1;
            zero |= y == 0;
        }
        return one && zero;
    }

    /** One line per evaluated example: its model score, the champion's when there is one, and the rules that fired. */
    private static void writePredictions(Path target, TrainingSet set, int from, double[] scores, double[] champion,
                                         List<List<String>> fired) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write("event_id,customer_id,event_time,kind,score" + (champion == null ? "" : ",champion_score") + ",rules\n");
            for (int i = 0; i < scores.length; i++) {
                int r = from + i;
                out.write(set.eventIds[r] + "," + set.customers[r] + "," + Instant.ofEpochMilli(set.times[r]) + "," + set.kinds[r]
                        + "," + scores[i] + (champion == null ? "" : "," + champion[i]) + "," + String.join("|", fired.get(i))
                        + "\n");
            }
        }
    }

    /** The process's peak resident memory (VmHWM: the JVM and XGBoost's native memory), -1 where unknown. */
    static long peakResidentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // not Linux
        }
        return -1;
    }

    private static String f(double v) {
        return String.format("%.3f", v);
    }
}
