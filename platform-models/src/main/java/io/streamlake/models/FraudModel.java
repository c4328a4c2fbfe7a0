package io.streamlake.models;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fraud model: XGBoost's gradient-boosted trees over {@link ModelInputs}, its decision threshold, and its artifact
 * (XGBoost's own UBJSON model format, which any XGBoost of version 2 or later loads). Spring-free.
 */
public final class FraudModel {

    /** How the trees are grown. */
    public record Settings(int rounds, int maxDepth, double learningRate, long seed) {
    }

    private final ModelInputs inputs;
    private final Booster booster;

    private FraudModel(ModelInputs inputs, Booster booster) {
        this.inputs = inputs;
        this.booster = booster;
    }

    public ModelInputs inputs() {
        return inputs;
    }

    /**
     * Trains on {@code train} (row-major, {@code inputs.size()} wide) with {@code labels}, stopping when the average
     * precision on the validation rows has not improved for 20 rounds.
     */
    public static FraudModel train(ModelInputs inputs, float[] train, float[] labels, float[] validation, float[] validationLabels,
                            Settings settings) throws XGBoostError {
        DMatrix dtrain = matrix(train, labels, inputs.size());
        DMatrix dvalid = matrix(validation, validationLabels, inputs.size());
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("eval_metric", "aucpr");
        params.put("tree_method", "hist");
        params.put("max_depth", settings.maxDepth());
        params.put("eta", settings.learningRate());
        params.put("seed", settings.seed());
        params.put("nthread", Math.max(1, Runtime.getRuntime().availableProcessors()));
        params.put("verbosity", 1);
        Map<String, DMatrix> watches = new HashMap<>();
        watches.put("train", dtrain);
        watches.put("validation", dvalid);
        float[][] metrics = new float[2][settings.rounds()];
        Booster booster = XGBoost.train(dtrain, params, settings.rounds(), watches, metrics, null, null, 20);
        booster.setFeatureNames(inputs.names().stream().map(n -> n.replace(':', '.')).toArray(String[]::new));
        dtrain.dispose();
        dvalid.dispose();
        return new FraudModel(inputs, booster);
    }

    /** A model from its artifact. */
    public static FraudModel load(List<String> features, byte[] artifact) throws XGBoostError, IOException {
        return new FraudModel(new ModelInputs(features), XGBoost.loadModel(new ByteArrayInputStream(artifact)));
    }

    /** The probability of fraud of each row. */
    public double[] score(float[] rows) throws XGBoostError {
        int n = rows.length / inputs.size();
        if (n == 0) {
            return new double[0];
        }
        DMatrix m = new DMatrix(rows, n, inputs.size(), Float.NaN);
        try {
            float[][] p = booster.predict(m);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = p[i][0];
            }
            return scores;
        } finally {
            m.dispose();
        }
    }

    public byte[] artifact() throws XGBoostError {
        return booster.toByteArray("ubj");
    }

    /** Rounds kept (early stopping may end before the most rounds). */
    public int rounds() throws XGBoostError {
        return booster.getNumBoostedRound();
    }

    private static DMatrix matrix(float[] rows, float[] labels, int width) throws XGBoostError {
        DMatrix m = new DMatrix(rows, rows.length / width, width, Float.NaN);
        m.setLabel(labels);
        return m;
    }
}
