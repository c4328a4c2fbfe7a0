package io.streamlake.tasks.fraud;

import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.models.FraudRules;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What every step of a run agrees on: the features the model takes, the scorer's rules, the end of the examples' window (resolved once, so
 * a step that runs later does not see other examples) and the run's folder. Spring-free.
 */
final class TrainingRun {

    private final FraudModelTrainingProperties properties;
    private final List<String> features;
    private final FraudRules rules;
    private Instant to;

    TrainingRun(FraudModelTrainingProperties properties, FeatureRegistry registry) {
        this.properties = properties;
        List<String> named = properties.getFeatures().isEmpty()
                ? registry.featureService(properties.getFeatureService()).orElseThrow(() -> new IllegalArgumentException(
                        "fraud-model-training.feature-service: no feature service '" + properties.getFeatureService()
                                + "' in project '" + registry.project() + "'"))
                : properties.getFeatures();
        this.features = List.copyOf(new ArrayList<>(named));
        this.rules = FraudRules.load(properties.getRulesFile(), registry);
        if (properties.getEvaluationFraction() <= 0 || properties.getValidationFraction() <= 0
                || properties.getEvaluationFraction() + properties.getValidationFraction() >= 0.9) {
            throw new IllegalArgumentException("fraud-model-training: evaluation-fraction and validation-fraction must be"
                    + " above 0 and leave at least 10% of the examples to train on");
        }
    }

    List<String> features() {
        return features;
    }

    /** The scorer's rules, evaluated beside the model. */
    FraudRules rules() {
        return rules;
    }

    FraudModelTrainingProperties properties() {
        return properties;
    }

    /** The examples end here: the property, or the time the run first asked. */
    synchronized Instant to() {
        if (to == null) {
            to = properties.getTo() != null ? properties.getTo() : Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        return to;
    }

    /** The run's folder: one per job instance, so a restart finds what the steps before it wrote. */
    Path folder(long jobInstanceId) {
        return properties.getWorkDir().resolve("run-" + jobInstanceId);
    }

    static Path trainingSet(Path folder) {
        return folder.resolve("training-set.tsv");
    }

    static Path model(Path folder) {
        return folder.resolve("model.ubj");
    }

    static Path predictions(Path folder) {
        return folder.resolve("predictions.csv");
    }

    static Path report(Path folder) {
        return folder.resolve("metrics.json");
    }
}
