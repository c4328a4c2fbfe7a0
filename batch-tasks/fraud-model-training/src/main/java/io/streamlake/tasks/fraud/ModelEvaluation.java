package io.streamlake.tasks.fraud;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How good a model's scores are on a window of examples, per event and per customer. A customer's score is the highest
 * of their events' (an alert is about a customer, and the alert sink de-duplicates per customer), their kind the label
 * of their events. Definitions: ROC-AUC is the probability that a random positive scores above a random negative (ties
 * count half; Mann-Whitney); PR-AUC is the average precision (the precision at each threshold weighted by the recall it
 * adds, as scikit-learn's average_precision_score). Per anomaly kind, the kind's customers against the normal ones.
 * Spring-free.
 */
final class ModelEvaluation {

    /** Precision and recall of one kind's customers against the normal customers, at the threshold. */
    record KindMetrics(int customers, int flagged, double precision, double recall) {
    }

    /** The metrics of a window. */
    record Metrics(int events, int anomalousEvents, int customers, int anomalousCustomers, double eventRocAuc,
                   double eventPrAuc, double customerRocAuc, double customerPrAuc, double threshold, double eventPrecision,
                   double eventRecall, double customerPrecision, double customerRecall, Map<String, KindMetrics> kinds) {
    }

    private ModelEvaluation() {
    }

    static Metrics evaluate(double[] scores, String[] kinds, String[] customers, String normal, double threshold) {
        int n = scores.length;
        boolean[] positive = new boolean[n];
        int anomalous = 0;
        int tp = 0;
        int flagged = 0;
        for (int i = 0; i < n; i++) {
            positive[i] = !normal.equals(kinds[i]);
            anomalous += positive[i] ? 1 : 0;
            if (scores[i] >= threshold) {
                flagged++;
                tp += positive[i] ? 1 : 0;
            }
        }
        PerCustomer c = PerCustomer.of(scores, kinds, customers);
        boolean[] customerPositive = new boolean[c.size()];
        int customerAnomalous = 0;
        int ctp = 0;
        int cflagged = 0;
        Map<String, int[]> perKind = new TreeMap<>(); // kind -> customers, flagged
        int flaggedNormal = 0;
        for (int i = 0; i < c.size(); i++) {
            customerPositive[i] = !normal.equals(c.kinds[i]);
            customerAnomalous += customerPositive[i] ? 1 : 0;
            boolean f = c.scores[i] >= threshold;
            cflagged += f ? 1 : 0;
            ctp += f && customerPositive[i] ? 1 : 0;
            if (customerPositive[i]) {
                int[] k = perKind.computeIfAbsent(c.kinds[i], x -> new int[2]);
                k[0]++;
                k[1] += f ? 1 : 0;
            } else {
                flaggedNormal += f ? 1 : 0;
            }
        }
        Map<String, KindMetrics> kindMetrics = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> k : perKind.entrySet()) {
            int kf = k.getValue()[1];
            kindMetrics.put(k.getKey(), new KindMetrics(k.getValue()[0], kf, ratio(kf, kf + flaggedNormal),
                    ratio(kf, k.getValue()[0])));
        }
        return new Metrics(n, anomalous, c.size(), customerAnomalous, rocAuc(scores, positive), averagePrecision(scores, positive),
                rocAuc(c.scores, customerPositive), averagePrecision(c.scores, customerPositive), threshold,
                ratio(tp, flagged), ratio(tp, anomalous), ratio(ctp, cflagged), ratio(ctp, customerAnomalous), kindMetrics);
    }

    /**
     * The threshold that gives the best F1 over customers (what the alerts are about) on a window: the validation
     * window, before the evaluation one, so the evaluation does not choose its own threshold.
     */
    static double bestCustomerThreshold(double[] scores, String[] kinds, String[] customers, String normal) {
        PerCustomer c = PerCustomer.of(scores, kinds, customers);
        Integer[] order = new Integer[c.size()];
        int positives = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            positives += normal.equals(c.kinds[i]) ? 0 : 1;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> c.scores[i]).reversed());
        double best = 0.5;
        double bestF1 = -1;
        int tp = 0;
        for (int k = 0; k < order.length; k++) {
            tp += normal.equals(c.kinds[order[k]]) ? 0 : 1;
            // a threshold between distinct scores only: flagging this one flags every equal score
            if (k + 1 < order.length && c.scores[order[k + 1]] == c.scores[order[k]]) {
                continue;
            }
            double f1 = positives == 0 ? 0 : 2.0 * tp / (k + 1 + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = c.scores[order[k]];
            }
        }
        return best;
    }

    /** Mann-Whitney: ranks with ties averaged. NaN without positives or negatives. */
    static double rocAuc(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j + 2) / 2.0; // 1-based average rank of the tie group
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        return pos == 0 || neg == 0 ? Double.NaN : (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Average precision over the distinct thresholds, highest first. NaN without positives. */
    static double averagePrecision(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += positive[i] ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double ap = 0;
        long tp = 0;
        double lastRecall = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                tp += positive[order[k]] ? 1 : 0;
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / (j + 1);
            ap += (recall - lastRecall) * precision;
            lastRecall = recall;
            i = j + 1;
        }
        return ap;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /** Per customer: the highest score and the kind. */
    private record PerCustomer(double[] scores, String[] kinds) {
        int size() {
            return scores.length;
        }

        static PerCustomer of(double[] scores, String[] kinds, String[] customers) {
            Map<String, Integer> index = new HashMap<>();
            List<Double> max = new ArrayList<>();
            List<String> kind = new ArrayList<>();
            for (int i = 0; i < scores.length; i++) {
                Integer c = index.get(customers[i]);
                if (c == null) {
                    index.put(customers[i], max.size());
                    max.add(scores[i]);
                    kind.add(kinds[i]);
                } else if (scores[i] > max.get(c)) {
                    max.set(c, scores[i]);
                }
            }
            return new PerCustomer(max.stream().mapToDouble(Double::doubleValue).toArray(), kind.toArray(String[]::new));
        }
    }
}
