package io.streamlake.tasks.interactions;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The scoring alone: latency spikes, error spikes, quiet noise, and minutes it cannot judge. */
class InteractionReportTest {

    private static final Instant MINUTE = Instant.parse("2026-12-01T10:00:00Z");
    private final InteractionReport report = new InteractionReport(20, 4.0, 5);

    private static List<MinuteStats> hour(String type, long seed, double errorRate, double p95) {
        Random r = new Random(seed);
        List<MinuteStats> minutes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long events = 150 + r.nextInt(100);
            long errors = Math.round(events * errorRate * (0.5 + r.nextDouble()));
            minutes.add(new MinuteStats(type, events, errors, 0, p95 * (0.9 + 0.2 * r.nextDouble()), 0));
        }
        return minutes;
    }

    @Test
    void aLatencySpikeIsFlaggedAndOrdinaryNoiseIsNot() {
        Map<String, List<MinuteStats>> baseline = Map.of("search", hour("search", 1, 0.02, 300), "click", hour("click", 2, 0.01, 80));
        List<InteractionReport.Row> rows = report.report(MINUTE, Map.of(
                "search", new MinuteStats("search", 200, 4, 150, 2400, 3000),
                "click", new MinuteStats("click", 200, 3, 40, 84, 120)), baseline);
        assertThat(rows).extracting(InteractionReport.Row::type).containsExactly("click", "search");
        assertThat(rows.get(1).anomaly()).isTrue();
        assertThat(rows.get(1).latencyZ()).isGreaterThan(10);
        assertThat(rows.get(0).anomaly()).isFalse();
        assertThat(rows.get(0).successRate()).isEqualTo(1 - 3 / 200.0);
    }

    @Test
    void fewerErrorsIsNoIncidentAndThinDataIsNotJudged() {
        Map<String, List<MinuteStats>> baseline = Map.of("login", hour("login", 3, 0.05, 200),
                "purchase", hour("purchase", 4, 0.02, 600).subList(0, 3));
        List<InteractionReport.Row> rows = report.report(MINUTE, Map.of(
                "login", new MinuteStats("login", 300, 0, 100, 190, 250),
                "purchase", new MinuteStats("purchase", 200, 100, 400, 600, 800),
                "checkout", new MinuteStats("checkout", 5, 5, 400, 600, 800)), baseline);
        assertThat(rows).extracting(InteractionReport.Row::anomaly).containsOnly(false);
        assertThat(rows.get(0).reason()).startsWith("no baseline"); // checkout: no history at all
        assertThat(rows.get(1).errorRateZ()).isNegative();          // login: fewer errors than usual
        assertThat(rows.get(2).reason()).startsWith("no baseline: 3 minutes");
        assertThat(InteractionReport.median(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
    }
}
