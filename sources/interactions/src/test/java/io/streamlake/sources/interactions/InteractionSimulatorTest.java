package io.streamlake.sources.interactions;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractRepository;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated interactions: valid under their contract, shaped as a shop's funnel, and incidents where declared. */
class InteractionSimulatorTest {

    private static final Contract CONTRACT = ContractRepository.at("").get("user-interaction", ContractRepository.LATEST);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static List<InteractionSimulator.Interaction> run(List<InteractionSimulator.Incident> incidents, int n) {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Settings(2000, 7, 100, incidents, 0, 1),
                CONTRACT);
        List<InteractionSimulator.Interaction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(simulator.next(T0.plusMillis(i * 10L))); // 100 a second, over n / 100 seconds
        }
        return out;
    }

    private static Object field(InteractionSimulator.Interaction i, String name) {
        return i.values()[CONTRACT.field(name).index()];
    }

    @Test
    void everyEventIsValidUnderTheContractAndIdsAreUnique() {
        List<InteractionSimulator.Interaction> events = run(List.of(), 20_000);
        ContractChecks checks = new ContractChecks(CONTRACT, Clock.fixed(T0.plusSeconds(200), ZoneOffset.UTC));
        Set<Object> ids = new HashSet<>();
        Map<Object, Integer> types = new HashMap<>();
        for (InteractionSimulator.Interaction e : events) {
            checks.check(e.values()); // throws for the first fault
            ids.add(field(e, "interaction_id"));
            types.merge(field(e, "interaction_type"), 1, Integer::sum);
            assertThat(e.groundTruth()).isEqualTo("normal");
            if (field(e, "interaction_type").equals("error_page")) {
                assertThat(field(e, "status")).isEqualTo("error");
            }
        }
        assertThat(ids).hasSize(events.size());
        assertThat(types).containsOnlyKeys("page_view", "search", "click", "add_to_cart", "checkout", "purchase", "login",
                "error_page");
        assertThat(types.get("page_view")).isGreaterThan(types.get("click")).isGreaterThan(types.get("purchase"));
    }

    @Test
    void anIncidentRaisesItsTypesErrorRateOnlyInItsWindowAndMarksOnlyThoseEvents() {
        Instant start = T0.plusSeconds(60);
        List<InteractionSimulator.Interaction> events = run(List.of(new InteractionSimulator.Incident("checkout",
                InteractionSimulator.Kind.ERROR_RATE, start, Duration.ofSeconds(120), 10)), 30_000);
        int[] in = new int[2];
        int[] out = new int[2];
        for (InteractionSimulator.Interaction e : events) {
            Instant at = (Instant) field(e, "timestamp");
            boolean inside = field(e, "interaction_type").equals("checkout") && !at.isBefore(start)
                    && at.isBefore(start.plusSeconds(120));
            assertThat(e.groundTruth()).isEqualTo(inside ? "incident:checkout:error_rate" : "normal");
            if (field(e, "interaction_type").equals("checkout")) {
                int[] bucket = inside ? in : out;
                bucket[0]++;
                bucket[1] += field(e, "status").equals("error") ? 1 : 0;
            }
        }
        assertThat(in[0]).isGreaterThan(200);
        assertThat((double) in[1] / in[0]).isGreaterThan(0.2); // 3 % times 10
        assertThat((double) out[1] / out[0]).isLessThan(0.08);
    }

    @Test
    void aLatencyIncidentMultipliesTheLatencyAndTheRateFollowsTheDay() {
        Instant start = T0;
        List<InteractionSimulator.Interaction> events = run(List.of(new InteractionSimulator.Incident("search",
                InteractionSimulator.Kind.LATENCY, start, Duration.ofSeconds(100), 8)), 20_000);
        List<Long> during = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (InteractionSimulator.Interaction e : events) {
            if (field(e, "interaction_type").equals("search")) {
                Instant at = (Instant) field(e, "timestamp");
                (at.isBefore(start.plusSeconds(100)) ? during : after).add((Long) field(e, "latency_ms"));
            }
        }
        during.sort(Long::compare);
        after.sort(Long::compare);
        assertThat(during.get(during.size() / 2)).isGreaterThan(4 * after.get(after.size() / 2));
        InteractionSimulator s = new InteractionSimulator(new InteractionSimulator.Settings(10, 1, 100, List.of(), 0, 1), CONTRACT);
        assertThat(s.rate(Instant.parse("2026-12-01T20:00:00Z"))).isGreaterThan(2.5 * s.rate(Instant.parse("2026-12-01T04:00:00Z")));
    }
}
