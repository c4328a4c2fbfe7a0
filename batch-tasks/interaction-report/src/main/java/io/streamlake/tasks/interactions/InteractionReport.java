package io.streamlake.tasks.interactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report of one minute, per interaction type: events, success and error rates, latency p50/p95/p99, and whether
 * the minute is anomalous against the trailing baseline; no Spring in here.
 * <p><b>The method:</b> for each type, the minutes of the baseline (the trailing hour by default) that had at least
 * {@code minEvents} events give a series of error rates and of p95 latencies; the minute's own values are scored
 * with a robust z-score, {@code (x - median) / max(1.4826 MAD, floor)}. The error rate's floor is the binomial standard
 * error at the baseline's median rate and the minute's event count (a quiet minute with 1 error in 20 is not a
 * spike); the latency's is a tenth of the baseline median. A minute is anomalous for a type when it had enough events
 * and either score reaches {@code threshold} (and the value went up: fewer errors is not an incident).
 * <p><b>Why the trailing hour</b> and not the same minute of past days: it needs an hour of history rather than days,
 * so the report is useful from the pipeline's first hour; traffic changes slowly within an hour, so the hour's median
 * follows the daily curve; the median and the MAD ignore the earlier incident minutes that a mean and a standard
 * deviation would absorb.
 */
final class InteractionReport {

    /** One row of the report. */
    record Row(Instant minute, String type, long events, long errors, double successRate, double errorRate,
               double latencyP50, double latencyP95, double latencyP99, double errorRateZ, double latencyZ, double score,
               boolean anomaly, String reason) {
    }

    private final int minEvents;
    private final double threshold;
    private final int minBaselineMinutes;

    InteractionReport(int minEvents, double threshold, int minBaselineMinutes) {
        this.minEvents = minEvents;
        this.threshold = threshold;
        this.minBaselineMinutes = minBaselineMinutes;
    }

    /**
     * @param current  the minute's numbers per type
     * @param baseline the baseline minutes' numbers per type (minutes without events of a type are absent)
     */
    List<Row> report(Instant minute, Map<String, MinuteStats> current, Map<String, List<MinuteStats>> baseline) {
        List<Row> rows = new ArrayList<>();
        for (String type : new TreeSet<>(current.keySet())) {
            MinuteStats now = current.get(type);
            List<MinuteStats> history = baseline.getOrDefault(type, List.of()).stream()
                    .filter(s -> s.events() >= minEvents).toList();
            double errorZ = 0;
            double latencyZ = 0;
            String reason;
            boolean anomaly = false;
            if (history.size() < minBaselineMinutes) {
                reason = "no baseline: " + history.size() + " minutes with at least " + minEvents + " events in the baseline";
            } else if (now.events() < minEvents) {
                reason = "too few events to judge: " + now.events();
            } else {
                double[] rates = history.stream().mapToDouble(MinuteStats::errorRate).toArray();
                double[] p95s = history.stream().mapToDouble(MinuteStats::p95).toArray();
                double medianRate = median(rates);
                double binomial = Math.sqrt(Math.max(medianRate * (1 - medianRate), 1e-4) / now.events());
                errorZ = robustZ(now.errorRate(), rates, binomial);
                double medianP95 = median(p95s);
                latencyZ = robustZ(now.p95(), p95s, Math.max(1, 0.1 * medianP95));
                anomaly = errorZ >= threshold || latencyZ >= threshold;
                reason = String.format(Locale.ROOT, "error rate %.4f against a median of %.4f (z %.1f); p95 %.0f ms against %.0f ms (z %.1f)",
                        now.errorRate(), medianRate, errorZ, now.p95(), medianP95, latencyZ);
            }
            rows.add(new Row(minute, type, now.events(), now.errors(), 1 - now.errorRate(), now.errorRate(), now.p50(),
                    now.p95(), now.p99(), errorZ, latencyZ, Math.max(errorZ, latencyZ), anomaly, reason));
        }
        return rows;
    }

    /** {@code (x - median) / max(1.4826 MAD, floor)}. */
    static double robustZ(double x, double[] series, double floor) {
        double median = median(series);
        double[] deviations = Arrays.stream(series).map(v -> Math.abs(v - median)).toArray();
        double scale = Math.max(1.4826 * median(deviations), floor);
        return (x - median) / scale;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
