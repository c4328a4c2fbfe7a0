package io.streamlake.features.aggregation;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class GameStatsWindowsTest {

    @Test
    void hourlyGameStatsEqualARecomputationFromTheRawEvents() {
        Random r = new Random(9);
        String[] activities = {"bet", "bet", "win", "bonus", "login"};
        Instant t = Instant.parse("2026-11-23T00:00:00Z");
        List<CasinoEvent> events = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            t = t.plusSeconds(r.nextInt(3));
            String activity = activities[r.nextInt(activities.length)];
            BigDecimal bet = BigDecimal.valueOf(10 + r.nextInt(500), 2);
            boolean game = !activity.equals("login");
            events.add(new CasinoEvent(UUID.randomUUID(), "C" + r.nextInt(30), t, activity, game ? "g" + r.nextInt(4) : null,
                    game ? "slots" : null, activity.equals("bet") || activity.equals("win") ? bet : null,
                    activity.equals("win") ? bet.multiply(BigDecimal.valueOf(2)) : null,
                    activity.equals("bonus") ? new BigDecimal("0.50") : null, null, "EUR", 1));
        }
        // Late arrivals within the grace period: each event moves back by at most 30 places (at most 60 s of event time).
        Map<CasinoEvent, Double> arrival = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            arrival.put(events.get(i), i + r.nextInt(30) + r.nextDouble());
        }
        events.sort(java.util.Comparator.comparingDouble(arrival::get));
        GameStatsWindows windows = new GameStatsWindows(Duration.ofMinutes(2));
        Map<String, Instant> latest = new HashMap<>();
        List<CasinoEvent> added = new ArrayList<>();
        for (CasinoEvent e : events) {
            assertThat(windows.add(e)).isTrue();
            added.add(e);
            if (e.gameId() != null && (latest.get(e.gameId()) == null || e.activityDatetime().isAfter(latest.get(e.gameId())))) {
                latest.put(e.gameId(), e.activityDatetime());
            }
            if (added.size() % 997 == 0 || added.size() == events.size()) {
                assertEqualsRecomputation(windows, latest, added);
            }
        }
        assertThat(windows.evictIdle(t.plus(Duration.ofHours(2)))).isEqualTo(latest.size());
    }

    /** Every game's features as of its latest event, against the events added so far. */
    private static void assertEqualsRecomputation(GameStatsWindows windows, Map<String, Instant> latest, List<CasinoEvent> events) {
        for (Map.Entry<String, Instant> g : latest.entrySet()) {
            long m = Math.floorDiv(g.getValue().getEpochSecond(), 60);
            long bets = 0;
            BigDecimal betSum = BigDecimal.ZERO, winSum = BigDecimal.ZERO, bonus = BigDecimal.ZERO;
            Set<String> customers = new HashSet<>();
            for (CasinoEvent e : events) {
                long em = Math.floorDiv(e.activityDatetime().getEpochSecond(), 60);
                if (!g.getKey().equals(e.gameId()) || em < m - 59 || em > m) {
                    continue;
                }
                customers.add(e.customerId());
                switch (e.gameActivity()) {
                    case "bet" -> {
                        bets++;
                        betSum = betSum.add(e.betAmount());
                    }
                    case "win" -> winSum = winSum.add(e.winAmount());
                    case "bonus" -> bonus = bonus.add(e.bonusAmount());
                    default -> {
                    }
                }
            }
            FeatureRow row = windows.features(g.getKey());
            assertThat(row.eventTimestamp()).isEqualTo(g.getValue());
            assertThat(row.values()).containsEntry("bet_count_1h", FeastValue.ofInt64(bets))
                    .containsEntry("bet_sum_1h", FeastValue.ofDouble(betSum.doubleValue()))
                    .containsEntry("win_sum_1h", FeastValue.ofDouble(winSum.doubleValue()))
                    .containsEntry("ggr_1h", FeastValue.ofDouble(betSum.subtract(winSum).subtract(bonus).doubleValue()))
                    .containsEntry("distinct_customers_1h", FeastValue.ofInt64(customers.size()));
        }
    }
}
