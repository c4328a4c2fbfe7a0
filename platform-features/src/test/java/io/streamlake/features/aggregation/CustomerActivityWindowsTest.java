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
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerActivityWindowsTest {

    private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);

    private static CasinoEvent event(Random r, String customer, Instant at) {
        String[] activities = {"bet", "bet", "bet", "win", "bonus", "login", "logout"};
        String activity = activities[r.nextInt(activities.length)];
        BigDecimal bet = BigDecimal.valueOf(10 + r.nextInt(990), 2);
        return new CasinoEvent(UUID.randomUUID(), customer, at, activity, "g" + r.nextInt(8), "slots",
                activity.equals("bet") || activity.equals("win") ? bet : null,
                activity.equals("win") ? bet.multiply(BigDecimal.valueOf(r.nextInt(4))) : null,
                activity.equals("bonus") ? new BigDecimal("1.50") : null, null, "EUR", 1);
    }

    @Test
    void windowFeaturesEqualARecomputationFromTheRawEvents() {
        Random r = new Random(3);
        List<CasinoEvent> events = new ArrayList<>();
        Instant t = START;
        for (int i = 0; i < 6000; i++) {
            t = t.plusSeconds(r.nextInt(8));
            Instant at = t;
            if (r.nextInt(20) == 0) {
                at = t.minusSeconds(r.nextInt(300)); // late: some within the 2-minute grace, some beyond
            }
            events.add(event(r, "C" + r.nextInt(5), at));
        }
        CustomerActivityWindows windows = new CustomerActivityWindows(GRACE);
        Map<String, FeatureRow> last = new HashMap<>();
        for (CasinoEvent e : events) {
            windows.accept(e).ifPresent(row -> last.put(e.customerId(), row));
        }

        // Brute force over the same events, with the same lateness rule.
        Map<String, List<CasinoEvent>> accepted = new HashMap<>();
        Map<String, Instant> latest = new HashMap<>();
        long late = 0;
        for (CasinoEvent e : events) {
            Instant l = latest.get(e.customerId());
            if (l != null && e.activityDatetime().isBefore(l.minus(GRACE))) {
                late++;
                continue;
            }
            accepted.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(e);
            if (l == null || e.activityDatetime().isAfter(l)) {
                latest.put(e.customerId(), e.activityDatetime());
            }
        }
        assertThat(late).isPositive();
        assertThat(windows.lateRejected()).isEqualTo(late);
        assertThat(last).hasSize(5);
        for (Map.Entry<String, FeatureRow> entry : last.entrySet()) {
            String customer = entry.getKey();
            FeatureRow row = entry.getValue();
            Instant at = latest.get(customer);
            assertThat(row.eventTimestamp()).isEqualTo(at);
            long m = Math.floorDiv(at.getEpochSecond(), 60);
            for (Object[] w : new Object[][]{{"5m", 5L}, {"1h", 60L}, {"24h", 1440L}}) {
                long from = m - (Long) w[1] + 1;
                long bets = 0, wins = 0;
                BigDecimal betSum = BigDecimal.ZERO, winSum = BigDecimal.ZERO, bonus = BigDecimal.ZERO;
                Set<String> games = new HashSet<>();
                for (CasinoEvent e : accepted.get(customer)) {
                    long em = Math.floorDiv(e.activityDatetime().getEpochSecond(), 60);
                    if (em < from || em > m) {
                        continue;
                    }
                    games.add(e.gameId());
                    switch (e.gameActivity()) {
                        case "bet" -> {
                            bets++;
                            betSum = betSum.add(e.betAmount());
                        }
                        case "win" -> {
                            wins++;
                            winSum = winSum.add(e.winAmount());
                        }
                        case "bonus" -> bonus = bonus.add(e.bonusAmount());
                        default -> {
                        }
                    }
                }
                String s = (String) w[0];
                assertThat(row.values().get("bet_count_" + s)).as(customer + " " + s).isEqualTo(FeastValue.ofInt64(bets));
                assertThat(row.values().get("bet_sum_" + s)).isEqualTo(FeastValue.ofDouble(betSum.doubleValue()));
                assertThat(row.values().get("win_count_" + s)).isEqualTo(FeastValue.ofInt64(wins));
                assertThat(row.values().get("win_sum_" + s)).isEqualTo(FeastValue.ofDouble(winSum.doubleValue()));
                assertThat(row.values().get("ggr_" + s)).isEqualTo(FeastValue.ofDouble(betSum.subtract(winSum).subtract(bonus).doubleValue()));
                if (s.equals("1h")) {
                    assertThat(row.values().get("distinct_games_1h")).isEqualTo(FeastValue.ofInt64(games.size()));
                    assertThat(row.values().get("avg_bet_1h")).isEqualTo(bets == 0 ? FeastValue.ofNull()
                            : FeastValue.ofDouble(betSum.doubleValue() / bets));
                }
                if (s.equals("24h")) {
                    assertThat(row.values().get("bonus_share_24h")).isEqualTo(betSum.signum() == 0 ? FeastValue.ofNull()
                            : FeastValue.ofDouble(bonus.doubleValue() / betSum.doubleValue()));
                }
            }
        }
    }

    @Test
    void sessionLengthRunsFromLoginUntilLogout() {
        CustomerActivityWindows windows = new CustomerActivityWindows(GRACE);
        Random r = new Random(1);
        windows.accept(withActivity(event(r, "C1", START), "login"));
        Optional<FeatureRow> row = windows.accept(withActivity(event(r, "C1", START.plusSeconds(90)), "bet"));
        assertThat(row.orElseThrow().values().get("session_length_seconds")).isEqualTo(FeastValue.ofInt64(90));
        row = windows.accept(withActivity(event(r, "C1", START.plusSeconds(100)), "logout"));
        assertThat(row.orElseThrow().values().get("session_length_seconds")).isEqualTo(FeastValue.ofNull());
    }

    @Test
    void memoryStaysBoundedByActiveCustomersAndADayOfMinutes() {
        CustomerActivityWindows windows = new CustomerActivityWindows(GRACE);
        Random r = new Random(2);
        for (int minute = 0; minute < 30 * 60; minute++) { // 30 hours of one event a minute
            windows.accept(withActivity(event(r, "busy", START.plusSeconds(minute * 60L)), "bet"));
        }
        assertThat(windows.bucketCount("busy")).isLessThanOrEqualTo(24 * 60 + 2 + 1);
        for (int i = 0; i < 1000; i++) {
            windows.accept(withActivity(event(r, "idle" + i, START), "bet"));
        }
        assertThat(windows.activeCustomers()).isEqualTo(1001);
        assertThat(windows.evictIdle(START.plus(Duration.ofHours(30)))).isEqualTo(1000);
        assertThat(windows.activeCustomers()).isEqualTo(1);
    }

    @Test
    void evictionDropsExactlyTheCustomersIdleSinceTheCutoffWhateverOrderTheyArrivedIn() {
        CustomerActivityWindows windows = new CustomerActivityWindows(GRACE);
        Random r = new Random(5);
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, r);
        for (int i : order) { // customer i's latest event at START + i * 10 s, arriving in any order
            windows.accept(withActivity(event(r, "c" + i, START.plusSeconds(i * 10L)), "bet"));
        }
        Instant cutoff = START.plusSeconds(2_995); // customers 0..299 are idle since before it
        assertThat(windows.evictIdle(cutoff.plus(Duration.ofDays(1)).plus(GRACE))).isEqualTo(300);
        assertThat(windows.activeCustomers()).isEqualTo(300);
        assertThat(windows.bucketCount("c299")).isZero();
        assertThat(windows.bucketCount("c300")).isPositive();
        windows.accept(withActivity(event(r, "c300", START.plusSeconds(90_000)), "bet")); // c300 active again
        assertThat(windows.evictIdle(START.plusSeconds(6_000).plus(Duration.ofDays(1)).plus(GRACE))).isEqualTo(299);
        assertThat(windows.activeCustomers()).isEqualTo(1);
    }

    private static CasinoEvent withActivity(CasinoEvent e, String activity) {
        return new CasinoEvent(e.eventId(), e.customerId(), e.activityDatetime(), activity, e.gameId(), e.gameType(),
                activity.equals("bet") ? new BigDecimal("1.00") : null, null, null, null, "EUR", 1);
    }
}
