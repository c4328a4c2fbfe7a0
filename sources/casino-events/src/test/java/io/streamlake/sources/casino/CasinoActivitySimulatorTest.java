package io.streamlake.sources.casino;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.GameActivity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CasinoActivitySimulatorTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private static List<CasinoActivitySimulator.SimulatedEvent> run(long seed, double anomalous, int n) {
        CasinoActivitySimulator sim = new CasinoActivitySimulator(new CasinoActivitySimulator.Settings(
                2000, 60, seed, START, 1000, anomalous, List.of("EUR", "GBP")));
        return IntStream.range(0, n).mapToObj(i -> sim.next()).toList();
    }

    @Test
    void theSameSeedGivesTheSameStream() {
        assertThat(run(7, 0.05, 5000)).isEqualTo(run(7, 0.05, 5000));
        assertThat(run(8, 0.05, 100)).isNotEqualTo(run(7, 0.05, 100));
    }

    private static Set<java.util.UUID> ids(Instant start, int instance, int instances, int n) {
        CasinoActivitySimulator sim = new CasinoActivitySimulator(new CasinoActivitySimulator.Settings(
                2000, 60, 42, start, 1000, 0.02, List.of("EUR", "GBP"), instance, instances));
        Set<java.util.UUID> ids = new HashSet<>();
        IntStream.range(0, n).forEach(i -> ids.add(sim.next().event().eventId()));
        assertThat(ids).hasSize(n);
        return ids;
    }

    @Test
    void aRestartNeverReEmitsAnIdOfAnEarlierRun() {
        // a restart or redeploy starts at another time (default: now): none of its ids is an earlier run's
        Set<java.util.UUID> first = ids(START, 0, 1, 20_000);
        Set<java.util.UUID> restarted = ids(START.plusSeconds(20), 0, 1, 20_000);
        Set<java.util.UUID> restartedSameMilli = ids(START.plusNanos(1), 0, 1, 20_000);
        assertThat(restarted).doesNotContainAnyElementsOf(first);
        assertThat(restartedSameMilli).doesNotContainAnyElementsOf(first);
        // the same start, seed and settings is a replay: the same ids
        assertThat(ids(START, 0, 1, 20_000)).isEqualTo(first);
    }

    @Test
    void instancesOfOneSourceMakeDisjointStreamsOfTheirOwnCustomers() {
        List<CasinoActivitySimulator.SimulatedEvent> all = new ArrayList<>();
        Set<java.util.UUID> ids = new HashSet<>();
        for (int instance = 0; instance < 2; instance++) {
            CasinoActivitySimulator sim = new CasinoActivitySimulator(new CasinoActivitySimulator.Settings(
                    2000, 60, 42, START, 1000, 0.02, List.of("EUR", "GBP"), instance, 2));
            Set<String> customers = new HashSet<>();
            for (int i = 0; i < 10_000; i++) {
                CasinoActivitySimulator.SimulatedEvent e = sim.next();
                all.add(e);
                ids.add(e.event().eventId());
                customers.add(e.event().customerId());
            }
            int parity = instance;
            // customers are shared out by number, so one customer's session is told by one instance only
            assertThat(customers).allMatch(c -> Integer.parseInt(c.substring(1)) % 2 == parity);
        }
        assertThat(ids).hasSize(20_000); // same seed and start, two instances: no id in common
        assertThat(all.subList(0, 100)).isNotEqualTo(all.subList(10_000, 10_100));
        assertThatThrownBy(() -> new CasinoActivitySimulator.Settings(2000, 60, 42, START, 1000, 0.02, List.of("EUR"), 2, 2))
                .hasMessageContaining("instance index 2 of 2");
    }

    @Test
    void eventTimeFollowsTheRateAndIdsAreUnique() {
        List<CasinoActivitySimulator.SimulatedEvent> events = run(1, 0.02, 10_000);
        assertThat(events.get(0).event().activityDatetime()).isEqualTo(START);
        assertThat(events.get(9_999).event().activityDatetime()).isEqualTo(START.plus(Duration.ofMillis(9_999)));
        Set<java.util.UUID> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.event().eventId()));
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void everyEventPassesTheValidatorsDefaultLimits() {
        Map<String, BigDecimal> maxMultiplier = new HashMap<>();
        GameCatalog.TYPES.forEach(t -> maxMultiplier.put(t.name(), t.maxMultiplier()));
        assertThat(maxMultiplier).containsEntry("slots", new BigDecimal("5000")).containsEntry("roulette", new BigDecimal("36"));
        for (CasinoActivitySimulator.SimulatedEvent s : run(3, 0.1, 50_000)) {
            CasinoEvent e = s.event();
            GameActivity activity = GameActivity.fromWire(e.gameActivity()).orElseThrow();
            assertThat(e.eventId()).isNotNull();
            assertThat(e.customerId()).isNotBlank();
            if (activity.isGameplay()) {
                assertThat(e.gameId()).isNotBlank();
                assertThat(maxMultiplier).containsKey(e.gameType());
            }
            if (activity.movesMoney()) {
                assertThat(e.currency()).isIn("EUR", "GBP");
            }
            for (BigDecimal amount : new BigDecimal[]{e.betAmount(), e.winAmount(), e.bonusAmount(), e.transactionAmount()}) {
                if (amount != null) {
                    assertThat(amount.signum()).isPositive();
                    assertThat(amount.scale()).isEqualTo(2);
                }
            }
            switch (activity) {
                case BET -> assertThat(e.betAmount()).isNotNull();
                case WIN -> assertThat(e.winAmount()).isLessThanOrEqualTo(e.betAmount().multiply(maxMultiplier.get(e.gameType())));
                case BONUS -> assertThat(e.bonusAmount()).isNotNull();
                case DEPOSIT, WITHDRAWAL -> assertThat(e.transactionAmount()).isNotNull();
                default -> assertThat(e.betAmount()).isNull();
            }
        }
    }

    @Test
    void customersPlaySessionsFromLoginToLogout() {
        Map<String, List<String>> byCustomer = new HashMap<>();
        for (CasinoActivitySimulator.SimulatedEvent s : run(4, 0.0, 60_000)) {
            byCustomer.computeIfAbsent(s.event().customerId(), k -> new ArrayList<>()).add(s.event().gameActivity());
        }
        assertThat(byCustomer.size()).isGreaterThan(100);
        byCustomer.values().forEach(activities -> {
            assertThat(activities.get(0)).isEqualTo("login");
            String previous = null;
            for (String a : activities) {
                if (a.equals("login")) {
                    assertThat(previous).as("a login starts a session").isIn(null, "logout");
                }
                if (a.equals("win")) {
                    assertThat(previous).as("a win follows its bet").isEqualTo("bet");
                }
                previous = a;
            }
        });
    }

    @Test
    void payoutsFollowEachGameTypesReturnToPlayer() {
        Map<String, BigDecimal[]> totals = new HashMap<>(); // bets, wins
        for (CasinoActivitySimulator.SimulatedEvent s : run(5, 0.0, 400_000)) {
            CasinoEvent e = s.event();
            if (e.gameActivity().equals("bet")) {
                totals.computeIfAbsent(e.gameType(), k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO})[0] =
                        totals.get(e.gameType())[0].add(e.betAmount());
            } else if (e.gameActivity().equals("win")) {
                totals.get(e.gameType())[1] = totals.get(e.gameType())[1].add(e.winAmount());
            }
        }
        for (GameCatalog.GameType type : GameCatalog.TYPES) {
            BigDecimal[] t = totals.get(type.name());
            double rtp = t[1].doubleValue() / t[0].doubleValue();
            assertThat(rtp).as(type.name()).isCloseTo(type.rtp(), within(0.07));
        }
    }

    @Test
    void anomalousCustomersAreRareAndBehaveDifferently() {
        Map<CasinoActivitySimulator.Behaviour, Set<String>> customers = new HashMap<>();
        Map<CasinoActivitySimulator.Behaviour, double[]> money = new HashMap<>(); // bets, wins, bonuses
        for (CasinoActivitySimulator.SimulatedEvent s : run(6, 0.1, 300_000)) {
            customers.computeIfAbsent(s.groundTruth(), k -> new HashSet<>()).add(s.event().customerId());
            double[] m = money.computeIfAbsent(s.groundTruth(), k -> new double[3]);
            CasinoEvent e = s.event();
            if (e.betAmount() != null && e.gameActivity().equals("bet")) {
                m[0] += e.betAmount().doubleValue();
            }
            if (e.winAmount() != null) {
                m[1] += e.winAmount().doubleValue();
            }
            if (e.bonusAmount() != null) {
                m[2] += e.bonusAmount().doubleValue();
            }
        }
        int all = customers.values().stream().mapToInt(Set::size).sum();
        int normal = customers.get(CasinoActivitySimulator.Behaviour.NORMAL).size();
        assertThat(1.0 - (double) normal / all).isCloseTo(0.1, within(0.04));
        double[] n = money.get(CasinoActivitySimulator.Behaviour.NORMAL);
        double[] streak = money.get(CasinoActivitySimulator.Behaviour.WIN_STREAK);
        double[] abuse = money.get(CasinoActivitySimulator.Behaviour.BONUS_ABUSE);
        assertThat((n[1] + n[2]) / n[0]).isLessThan(1.0); // the house wins against normal players, bonuses included
        assertThat(streak[1] / streak[0]).isGreaterThan(1.5); // impossible for a fair game
        assertThat(abuse[2] / abuse[0]).isGreaterThan(10 * n[2] / n[0]);
    }
}
