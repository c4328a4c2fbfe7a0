package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The casino views as declared in casino-features.yaml, computed by the engine: against a brute-force recomputation
 * from the raw events (with late and out-of-order events), against today's hand-written window classes (kept in the
 * tests as {@link CustomerActivityWindows} and {@link GameStatsWindows}) value for value, and for their memory bounds.
 */
class CasinoViewsTest {

    private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);
    static final FeatureRegistry CASINO = FeatureRegistryLoader.casino();

    static FeatureAggregator casinoAggregator(Duration grace) {
        return new FeatureAggregator(CASINO, CASINO.aggregatedViews(), CasinoEventJson.CONTRACT,
                new ContractWire(CasinoEventJson.CONTRACT, ContractRepository.at("")), grace);
    }

    /** Adds the event; false when it was late for every view it is for. */
    static boolean add(FeatureAggregator aggregator, CasinoEvent e) {
        try {
            aggregator.accept(CasinoEventJson.write(e), null, false);
            return true;
        } catch (InvalidEventException rejected) {
            assertThat(rejected.reason()).isEqualTo(RejectionReason.LATE_EVENT);
            return false;
        }
    }

    private static CasinoEvent event(Random r, String customer, Instant at) {
        String[] activities = {"bet", "bet", "bet", "win", "bonus", "login", "logout"};
        String activity = activities[r.nextInt(activities.length)];
        BigDecimal bet = BigDecimal.valueOf(10 + r.nextInt(990), 2);
        return new CasinoEvent(UUID.randomUUID(), customer, at, activity, "g" + r.nextInt(8), "slots",
                activity.equals("bet") || activity.equals("win") ? bet : null,
                activity.equals("win") ? bet.multiply(BigDecimal.valueOf(r.nextInt(4))) : null,
                activity.equals("bonus") ? new BigDecimal("1.50") : null, null, "EUR", 1);
    }

    /** 6,000 events of 5 customers, one in 20 late by up to 5 minutes (some within the grace, some beyond). */
    private static List<CasinoEvent> eventsWithLateOnes(long seed) {
        Random r = new Random(seed);
        List<CasinoEvent> events = new ArrayList<>();
        Instant t = START;
        for (int i = 0; i < 6000; i++) {
            t = t.plusSeconds(r.nextInt(8));
            Instant at = t;
            if (r.nextInt(20) == 0) {
                at = t.minusSeconds(r.nextInt(300));
            }
            events.add(event(r, "C" + r.nextInt(5), at));
        }
        return events;
    }

    @Test
    void customerActivityEqualsARecomputationFromTheRawEvents() {
        List<CasinoEvent> events = eventsWithLateOnes(3);
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        events.forEach(e -> add(aggregator, e));
        ViewAggregator view = aggregator.view("customer_activity");

        // Brute force over the same events, with the same lateness rule (per customer).
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
        assertThat(aggregator.late().get("customer_activity")).isEqualTo(late);
        assertThat(latest).hasSize(5);
        for (String customer : latest.keySet()) {
            FeatureRow row = view.row(customer);
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
    void gameStatsEqualARecomputationFromTheRawEvents() {
        Random r = new Random(9);
        String[] activities = {"bet", "bet", "win", "bonus", "login"};
        Instant t = START;
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
        events.sort(Comparator.comparingDouble(arrival::get));
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        ViewAggregator view = aggregator.view("game_stats");
        Map<String, Instant> latest = new HashMap<>();
        List<CasinoEvent> added = new ArrayList<>();
        for (CasinoEvent e : events) {
            assertThat(add(aggregator, e)).isTrue();
            added.add(e);
            if (e.gameId() != null && (latest.get(e.gameId()) == null || e.activityDatetime().isAfter(latest.get(e.gameId())))) {
                latest.put(e.gameId(), e.activityDatetime());
            }
            if (added.size() % 997 == 0 || added.size() == events.size()) {
                for (Map.Entry<String, Instant> g : latest.entrySet()) {
                    assertGameEqualsRecomputation(view.row(g.getKey()), g.getKey(), g.getValue(), added);
                }
            }
        }
        assertThat(aggregator.late().get("game_stats")).isZero();
        assertThat(view.evictIdle(t.plus(Duration.ofHours(2)).toEpochMilli())).isEqualTo(latest.size());
    }

    private static void assertGameEqualsRecomputation(FeatureRow row, String game, Instant latest, List<CasinoEvent> events) {
        long m = Math.floorDiv(latest.getEpochSecond(), 60);
        long bets = 0;
        BigDecimal betSum = BigDecimal.ZERO, winSum = BigDecimal.ZERO, bonus = BigDecimal.ZERO;
        Set<String> customers = new HashSet<>();
        for (CasinoEvent e : events) {
            long em = Math.floorDiv(e.activityDatetime().getEpochSecond(), 60);
            if (!game.equals(e.gameId()) || em < m - 59 || em > m) {
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
        assertThat(row.eventTimestamp()).isEqualTo(latest);
        assertThat(row.values()).containsEntry("bet_count_1h", FeastValue.ofInt64(bets))
                .containsEntry("bet_sum_1h", FeastValue.ofDouble(betSum.doubleValue()))
                .containsEntry("win_sum_1h", FeastValue.ofDouble(winSum.doubleValue()))
                .containsEntry("ggr_1h", FeastValue.ofDouble(betSum.subtract(winSum).subtract(bonus).doubleValue()))
                .containsEntry("distinct_customers_1h", FeastValue.ofInt64(customers.size()));
    }

    /**
     * Today's hand-written views and the declared ones, on the same events fed in polls of 500: after every poll, every
     * touched customer's and game's row has the same event time and the same values, byte for byte in Feast's
     * protobuf encoding (what Redis holds). The one declared difference is the session length after a late logout or
     * login (the hand-written view follows arrival order for those, the declared {@code last} follows event time), so
     * session_length_seconds is compared on an input whose session events arrive in order.
     */
    @Test
    void theDeclaredViewsGiveTheHandWrittenViewsValuesByteForByte() {
        for (boolean sessionsInOrder : new boolean[] {false, true}) {
            List<CasinoEvent> events = sessionsInOrder ? orderedSessions(eventsWithLateOnes(11)) : eventsWithLateOnes(7);
            // many games and customers, to exercise eviction and distinct counts too
            CustomerActivityWindows customers = new CustomerActivityWindows(GRACE);
            GameStatsWindows games = new GameStatsWindows(GRACE);
            FeatureAggregator declared = casinoAggregator(GRACE);
            int compared = 0;
            for (int from = 0; from < events.size(); from += 500) {
                Set<String> touchedCustomers = new java.util.LinkedHashSet<>();
                Set<String> touchedGames = new java.util.LinkedHashSet<>();
                for (CasinoEvent e : events.subList(from, Math.min(events.size(), from + 500))) {
                    add(declared, e);
                    if (customers.add(e)) {
                        touchedCustomers.add(e.customerId());
                    }
                    // the declared views count an event late for its customer in its game when it is on time there
                    if (games.add(e) && e.gameId() != null) {
                        touchedGames.add(e.gameId());
                    }
                }
                Map<String, FeatureRow> rows = new HashMap<>();
                for (FeatureAggregator.Row row : declared.rows()) {
                    rows.put(row.row().featureView() + "/" + row.key(), row.row());
                }
                for (String c : touchedCustomers) {
                    assertSameBytes(customers.features(c), rows.get("customer_activity/" + c), sessionsInOrder);
                    compared++;
                }
                for (String g : touchedGames) {
                    assertSameBytes(games.features(g), rows.get("game_stats/" + g), true);
                    compared++;
                }
                assertThat(rows).hasSize(touchedCustomers.size() + touchedGames.size());
            }
            assertThat(compared).isGreaterThan(40);
        }
    }

    /** The events with each customer's login and logout events put in event-time order among themselves. */
    private static List<CasinoEvent> orderedSessions(List<CasinoEvent> events) {
        List<CasinoEvent> out = new ArrayList<>(events.size());
        Map<String, Instant> lastSession = new HashMap<>();
        for (CasinoEvent e : events) {
            boolean session = e.gameActivity().equals("login") || e.gameActivity().equals("logout");
            Instant last = lastSession.get(e.customerId());
            if (session && last != null && e.activityDatetime().isBefore(last)) {
                continue; // drop the out-of-order session event
            }
            if (session) {
                lastSession.put(e.customerId(), e.activityDatetime());
            }
            out.add(e);
        }
        return out;
    }

    private static void assertSameBytes(FeatureRow handWritten, FeatureRow declared, boolean withSession) {
        assertThat(declared).as("a declared row for " + handWritten.entityKey()).isNotNull();
        assertThat(declared.entityKey()).isEqualTo(handWritten.entityKey());
        assertThat(declared.eventTimestamp()).isEqualTo(handWritten.eventTimestamp());
        assertThat(declared.values().keySet()).containsExactlyElementsOf(handWritten.values().keySet());
        for (Map.Entry<String, FeastValue> v : handWritten.values().entrySet()) {
            if (!withSession && v.getKey().equals("session_length_seconds")) {
                continue;
            }
            assertThat(declared.values().get(v.getKey()).toProtobuf()).as(handWritten.entityKey() + " " + v.getKey())
                    .isEqualTo(v.getValue().toProtobuf());
        }
    }

    @Test
    void sessionLengthRunsFromLoginUntilLogout() {
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        Random r = new Random(1);
        ViewAggregator view = aggregator.view("customer_activity");
        add(aggregator, withActivity(event(r, "C1", START), "login"));
        add(aggregator, withActivity(event(r, "C1", START.plusSeconds(90)), "bet"));
        assertThat(view.row("C1").values().get("session_length_seconds")).isEqualTo(FeastValue.ofInt64(90));
        add(aggregator, withActivity(event(r, "C1", START.plusSeconds(100)), "logout"));
        assertThat(view.row("C1").values().get("session_length_seconds")).isEqualTo(FeastValue.ofNull());
    }

    @Test
    void memoryStaysBoundedByActiveCustomersAndADayOfMinutes() {
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        ViewAggregator view = aggregator.view("customer_activity");
        Random r = new Random(2);
        for (int minute = 0; minute < 30 * 60; minute++) { // 30 hours of one event a minute
            add(aggregator, withActivity(event(r, "busy", START.plusSeconds(minute * 60L)), "bet"));
        }
        assertThat(view.bucketCount("busy")).isLessThanOrEqualTo(24 * 60 + 2 + 1);
        for (int i = 0; i < 1000; i++) {
            add(aggregator, withActivity(event(r, "idle" + i, START), "bet"));
        }
        assertThat(view.activeEntities()).isEqualTo(1001);
        assertThat(view.evictIdle(START.plus(Duration.ofHours(30)).toEpochMilli())).isEqualTo(1000);
        assertThat(view.activeEntities()).isEqualTo(1);
        assertThat(view.describeMemory()).contains("customer_activity: per entity at most 1443 minute buckets");
    }

    @Test
    void evictionDropsExactlyTheCustomersIdleSinceTheCutoffWhateverOrderTheyArrivedIn() {
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        ViewAggregator view = aggregator.view("customer_activity");
        Random r = new Random(5);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            order.add(i);
        }
        Collections.shuffle(order, r);
        for (int i : order) { // customer i's latest event at START + i * 10 s, arriving in any order
            add(aggregator, withActivity(event(r, "c" + i, START.plusSeconds(i * 10L)), "bet"));
        }
        Instant cutoff = START.plusSeconds(2_995); // customers 0..299 are idle since before it
        assertThat(view.evictIdle(cutoff.plus(Duration.ofDays(1)).plus(GRACE).toEpochMilli())).isEqualTo(300);
        assertThat(view.activeEntities()).isEqualTo(300);
        assertThat(view.bucketCount("c299")).isZero();
        assertThat(view.bucketCount("c300")).isPositive();
        add(aggregator, withActivity(event(r, "c300", START.plusSeconds(90_000)), "bet")); // c300 active again
        assertThat(view.evictIdle(START.plusSeconds(6_000).plus(Duration.ofDays(1)).plus(GRACE).toEpochMilli())).isEqualTo(299);
        assertThat(view.activeEntities()).isEqualTo(1);
    }

    @Test
    void anEventLateForEveryViewIsRejectedAndOneLateForItsCustomerOnlyStillCountsForItsGame() {
        FeatureAggregator aggregator = casinoAggregator(GRACE);
        Random r = new Random(4);
        add(aggregator, withActivity(event(r, "C1", START.plusSeconds(600)), "bet"));
        add(aggregator, withActivity(event(r, "C2", START.plusSeconds(100)), "bet"));
        CasinoEvent lateForC1 = withGame(withActivity(event(r, "C1", START.plusSeconds(200)), "bet"), "g-other");
        assertThat(add(aggregator, lateForC1)).isTrue(); // g-other has no later event: on time for the game
        assertThat(aggregator.late()).containsEntry("customer_activity", 1L).containsEntry("game_stats", 0L);
        CasinoEvent lateForAll = withGame(withActivity(event(r, "C1", START), "bet"), "g-other");
        assertThatThrownBy(() -> aggregator.accept(CasinoEventJson.write(lateForAll), null, false))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("customer_activity, game_stats");
        List<String> keys = aggregator.rows().stream().map(row -> row.row().featureView() + "/" + row.key()).toList();
        assertThat(keys).contains("customer_activity/C1", "customer_activity/C2", "game_stats/g-other");
    }

    private static CasinoEvent withActivity(CasinoEvent e, String activity) {
        return new CasinoEvent(e.eventId(), e.customerId(), e.activityDatetime(), activity, e.gameId(), e.gameType(),
                activity.equals("bet") ? new BigDecimal("1.00") : null, null, null, null, "EUR", 1);
    }

    private static CasinoEvent withGame(CasinoEvent e, String game) {
        return new CasinoEvent(e.eventId(), e.customerId(), e.activityDatetime(), e.gameActivity(), game, e.gameType(),
                e.betAmount(), e.winAmount(), e.bonusAmount(), e.transactionAmount(), e.currency(), e.schemaVersion());
    }
}
