package io.streamlake.tasks.fraud;

import io.streamlake.task.ClickHouseJdbc;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Settings of the fraud-model-training task. */
@ConfigurationProperties("fraud-model-training")
public class FraudModelTrainingProperties {

    /** The model's name in the registry: a champion per name. */
    private String modelName = "casino-fraud";

    /** Feature definitions: unset for the shipped casino project, classpath:<resource>, or a file path. */
    private String registryFile;

    /** The feature service whose features the model takes (used when features is empty). */
    private String featureService = "fraud_detection";

    /**
     * The fraud-scorer's rules (classpath:<resource> or a path): evaluated on the same window as the model, alone and
     * combined with it (the scorer alerts when either fires), so the report shows what each adds.
     */
    private String rulesFile = "classpath:fraud-rules.yaml";

    /** Features the model takes, as view:feature; empty: the feature service's. */
    private List<String> features = new ArrayList<>();

    /** The labelled events: the clickhouse sink's casino table. */
    private String eventsTable = "casino_events";

    /** Column of the events table holding each event's label (the simulator's ground truth). */
    private String labelColumn = "ground_truth";

    /** The label of events that are not fraud; any other non-empty label is an anomaly kind. */
    private String normalLabel = "normal";

    /** Activities that are examples (the events the scorer scores). */
    private List<String> activities = new ArrayList<>(List.of("bet", "win", "bonus"));

    /** Earliest event time of the examples; unset: the earliest labelled event. */
    private Instant from;

    /** Examples are before this time; unset: now. */
    private Instant to;

    /** Most examples: more labelled events than this are sampled (by event id, the same sample every run). */
    private long maxExamples = 1_000_000;

    /** Share of the examples, the latest, the model is evaluated on (and compared with the champion on). */
    private double evaluationFraction = 0.2;

    /** Share of the examples just before the evaluation window: early stopping and the threshold. */
    private double validationFraction = 0.1;

    /** Most boosting rounds (fewer when the validation window stops improving for 20 rounds). */
    private int rounds = 300;

    /** Depth of each tree. */
    private int maxDepth = 6;

    /** XGBoost's eta: how much each tree adds. */
    private double learningRate = 0.1;

    /** Seed of XGBoost's sampling: the same data and seed give the same model. */
    private long seed = 42;

    /** Folder for the run's training set, model, predictions and metrics. */
    private Path workDir = Path.of("fraud-model");

    /** PostgreSQL table of the model registry (created if missing), in the task's datasource. */
    private String registryTable = "fraud_models";

    /** ClickHouse holding the events and the feature views' offline sources. */
    @NestedConfigurationProperty
    private final ClickHouseJdbc clickhouse = new ClickHouseJdbc();

    public String getModelName() {
        return modelName;
    }

    public void setModelName(String modelName) {
        this.modelName = modelName;
    }

    public String getRegistryFile() {
        return registryFile;
    }

    public void setRegistryFile(String registryFile) {
        this.registryFile = registryFile;
    }

    public String getFeatureService() {
        return featureService;
    }

    public void setFeatureService(String featureService) {
        this.featureService = featureService;
    }

    public String getRulesFile() {
        return rulesFile;
    }

    public void setRulesFile(String rulesFile) {
        this.rulesFile = rulesFile;
    }

    public List<String> getFeatures() {
        return features;
    }

    public void setFeatures(List<String> features) {
        this.features = features;
    }

    public String getEventsTable() {
        return eventsTable;
    }

    public void setEventsTable(String eventsTable) {
        this.eventsTable = eventsTable;
    }

    public String getLabelColumn() {
        return labelColumn;
    }

    public void setLabelColumn(String labelColumn) {
        this.labelColumn = labelColumn;
    }

    public String getNormalLabel() {
        return normalLabel;
    }

    public void setNormalLabel(String normalLabel) {
        this.normalLabel = normalLabel;
    }

    public List<String> getActivities() {
        return activities;
    }

    public void setActivities(List<String> activities) {
        this.activities = activities;
    }

    public Instant getFrom() {
        return from;
    }

    public void setFrom(Instant from) {
        this.from = from;
    }

    public Instant getTo() {
        return to;
    }

    public void setTo(Instant to) {
        this.to = to;
    }

    public long getMaxExamples() {
        return maxExamples;
    }

    public void setMaxExamples(long maxExamples) {
        this.maxExamples = maxExamples;
    }

    public double getEvaluationFraction() {
        return evaluationFraction;
    }

    public void setEvaluationFraction(double evaluationFraction) {
        this.evaluationFraction = evaluationFraction;
    }

    public double getValidationFraction() {
        return validationFraction;
    }

    public void setValidationFraction(double validationFraction) {
        this.validationFraction = validationFraction;
    }

    public int getRounds() {
        return rounds;
    }

    public void setRounds(int rounds) {
        this.rounds = rounds;
    }

    public int getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public Path getWorkDir() {
        return workDir;
    }

    public void setWorkDir(Path workDir) {
        this.workDir = workDir;
    }

    public String getRegistryTable() {
        return registryTable;
    }

    public void setRegistryTable(String registryTable) {
        this.registryTable = registryTable;
    }

    public ClickHouseJdbc getClickhouse() {
        return clickhouse;
    }
}
