package io.streamlake.processors.validator;

import io.streamlake.testsupport.MutableClock;

import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final EventValidator validator = validator(clock, Set.of(), 1000, Duration.ofMinutes(10));

    /** The casino contract as the app resolves it, with properties as a deployment sets them. */
    static EventValidator validator(Clock clock, Set<String> currencies, int dedupCapacity, Duration dedupWindow) {
        EventValidatorProperties p = new EventValidatorProperties();
        p.setMaxWinMultiplier(Map.of("slots", new BigDecimal("5000"), "Roulette", new BigDecimal("36")));
        p.setAcceptedCurrencies(java.util.List.copyOf(currencies));
        p.setDedupWindow(dedupWindow);
        return new EventValidator(p.resolveContract(ContractRepository.at(null)), 1024 * 1024, dedupCapacity, clock);
    }

    private static CasinoEvent accepted(EventValidator.Result result) {
        assertThat(result).isInstanceOf(EventValidator.Accepted.class);
        return CasinoEventJson.read(((EventValidator.Accepted) result).payload());
    }

    private static String event(String fields) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\" C1 \",\"activity_datetime\":\"2026-11-23T19:59:00Z\","
                + fields + "}";
    }

    private EventValidator.Result validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsAndNormalizesAValidBet() {
        var result = validate(event("\"game_activity\":\" BET \",\"game_id\":\" g1 \",\"game_type\":\"SLOTS\","
                + "\"bet_amount\":2.50,\"currency\":\"eur\",\"extra\":true"));
        CasinoEvent e = accepted(result);
        assertThat(((EventValidator.Accepted) result).key()).asString().isEqualTo("C1");
        assertThat(e.customerId()).isEqualTo("C1");
        assertThat(e.gameActivity()).isEqualTo("bet");
        assertThat(e.gameType()).isEqualTo("slots");
        assertThat(e.gameId()).isEqualTo("g1");
        assertThat(e.currency()).isEqualTo("EUR");
        assertThat(e.betAmount()).isEqualTo(new BigDecimal("2.50"));
        assertThat(CasinoEventJson.event(((EventValidator.Accepted) result).values())).isEqualTo(e);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "MISSING_FIELD|\"game_activity\":\"bet\",\"game_type\":\"slots\",\"bet_amount\":1,\"currency\":\"EUR\"",
            "MISSING_FIELD|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"currency\":\"EUR\"",
            "MISSING_FIELD|\"game_activity\":\"deposit\",\"currency\":\"EUR\"",
            "MISSING_FIELD|\"game_activity\":\"bonus\",\"game_id\":\"g\",\"game_type\":\"slots\",\"currency\":\"EUR\"",
            "MISSING_FIELD|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":1",
            "UNKNOWN_ACTIVITY|\"game_activity\":\"cheat\"",
            "UNKNOWN_GAME_TYPE|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"keno\",\"bet_amount\":1,\"currency\":\"EUR\"",
            "UNKNOWN_CURRENCY|\"game_activity\":\"deposit\",\"transaction_amount\":5,\"currency\":\"XYZ\"",
            "NEGATIVE_AMOUNT|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":-1,\"currency\":\"EUR\"",
            "INVALID_AMOUNT|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":1.23456789,\"currency\":\"EUR\"",
            "INVALID_AMOUNT|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":1e300,\"currency\":\"EUR\"",
            "INVALID_AMOUNT|\"game_activity\":\"deposit\",\"transaction_amount\":12345678901234567,\"currency\":\"EUR\"",
            "WIN_EXCEEDS_MAX_MULTIPLIER|\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"roulette\",\"bet_amount\":1,\"win_amount\":36.01,\"currency\":\"EUR\"",
            "WRONG_TYPE|\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":\"1\",\"currency\":\"EUR\"",
            "UNSUPPORTED_SCHEMA_VERSION|\"game_activity\":\"login\",\"schema_version\":2"})
    void rejectsWithTheReason(RejectionReason reason, String fields) {
        var result = validate(event(fields));
        assertThat(result).isInstanceOfSatisfying(EventValidator.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.detail()).isNotBlank();
        });
    }

    @Test
    void moneyIsNeverRoundedAndTheDefaultGameTypesAreWarehouseEtls() {
        EventValidatorProperties p = new EventValidatorProperties();
        EventValidator defaults = new EventValidator(p.resolveContract(ContractRepository.at(null)), p.getMaxPayloadBytes(),
                1000, clock);
        var lottery = defaults.validate(event("\"game_activity\":\"win\",\"game_id\":\"l\",\"game_type\":\"lottery\","
                + "\"bet_amount\":2.000,\"win_amount\":150000.50,\"currency\":\"EUR\"").getBytes(StandardCharsets.UTF_8));
        assertThat(accepted(lottery).winAmount()).isEqualTo(new BigDecimal("150000.50"));
        var cut = defaults.validate(event("\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\","
                + "\"bet_amount\":1.23456789,\"currency\":\"EUR\"").getBytes(StandardCharsets.UTF_8));
        assertThat(cut).isInstanceOfSatisfying(EventValidator.Rejected.class, r -> assertThat(r.detail())
                .contains("bet_amount 1.23456789 has more than 2 decimal places"));
    }

    @Test
    void winsUpToTheMultiplierAndBonusWinsPass() {
        assertThat(validate(event("\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"roulette\","
                + "\"bet_amount\":1,\"win_amount\":36,\"currency\":\"EUR\""))).isInstanceOf(EventValidator.Accepted.class);
        assertThat(validate(event("\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"roulette\","
                + "\"win_amount\":500,\"bonus_amount\":500,\"currency\":\"EUR\""))).isInstanceOf(EventValidator.Accepted.class);
    }

    @Test
    void timestampsOutsideTheWindowAreRejected() {
        String old = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"c\",\"activity_datetime\":\"2026-11-01T00:00:00Z\",\"game_activity\":\"login\"}";
        String future = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"c\",\"activity_datetime\":\"2026-11-23T20:06:00Z\",\"game_activity\":\"login\"}";
        assertThat(((EventValidator.Rejected) validate(old)).reason()).isEqualTo(RejectionReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(((EventValidator.Rejected) validate(future)).reason()).isEqualTo(RejectionReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void emptyHugeAndGarbagePayloadsAreRejectedNotThrown() {
        assertThat(((EventValidator.Rejected) validator.validate(new byte[0])).reason()).isEqualTo(RejectionReason.EMPTY_PAYLOAD);
        assertThat(((EventValidator.Rejected) validator.validate(null)).reason()).isEqualTo(RejectionReason.EMPTY_PAYLOAD);
        assertThat(((EventValidator.Rejected) validator.validate(new byte[2 * 1024 * 1024])).reason())
                .isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE);
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        assertThat(((EventValidator.Rejected) validator.validate(garbage)).reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
    }

    @Test
    void duplicatesWithinTheWindowAreRejectedAndForgottenAfterIt() {
        String json = event("\"game_activity\":\"login\"");
        assertThat(validate(json)).isInstanceOf(EventValidator.Accepted.class);
        assertThat(((EventValidator.Rejected) validate(json)).reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT);
        clock.advance(Duration.ofMinutes(11));
        assertThat(validate(json.replace("19:59:00", "20:10:00"))).isInstanceOf(EventValidator.Accepted.class);
    }

    @Test
    void deduplicationMemoryIsBoundedByCapacity() {
        EventIdDeduplicator dedup = new EventIdDeduplicator(Duration.ofHours(1).toMillis(), 1000);
        UUID first = UUID.randomUUID();
        assertThat(dedup.firstSeen(first, 0)).isTrue();
        for (int i = 0; i < 5000; i++) {
            dedup.firstSeen(UUID.randomUUID(), i);
        }
        assertThat(dedup.size()).isEqualTo(1000);
        assertThat(dedup.firstSeen(first, 5000)).isTrue(); // evicted by capacity: seen as new
        // every id the capacity pushed out was still inside its hour: each one is counted, with the window really kept
        assertThat(dedup.earlyEvictions()).isEqualTo(5001 - 1000 + 1);
        assertThat(dedup.lastEarlyEvictionAgeMillis()).isEqualTo(5000 - 4000); // the id of t=4000 made room for it
    }

    @Test
    void idsLeavingAtTheEndOfTheirWindowAreNotEarly() {
        EventIdDeduplicator dedup = new EventIdDeduplicator(1000, 10);
        for (int i = 0; i < 100; i++) {
            dedup.firstSeen(UUID.randomUUID(), i * 200L); // 5 ids per window: the capacity of 10 is never reached
        }
        assertThat(dedup.earlyEvictions()).isZero();
        assertThat(dedup.lastEarlyEvictionAgeMillis()).isEqualTo(-1);
    }

    @Test
    void theDedupCapacityIsDerivedFromWindowAndRateOrCheckedAgainstThem() {
        EventValidatorProperties p = new EventValidatorProperties();
        p.setDedupWindow(Duration.ofMinutes(10));
        p.setExpectedEventsPerSecond(1000);
        assertThat(p.effectiveDedupCapacity(p.getDedupWindow())).isEqualTo(750_000); // 600 s x 1000/s x 1.25
        p.setDedupCapacity(200_000); // the old default: 200 s of ids at 1000/s, a third of the window
        assertThatThrownBy(() -> p.effectiveDedupCapacity(p.getDedupWindow())).hasMessageContaining("dedup-capacity 200000 holds 200 s")
                .hasMessageContaining("needs 600000");
        p.setDedupCapacity(600_000);
        assertThat(p.effectiveDedupCapacity(p.getDedupWindow())).isEqualTo(600_000);
        p.setDedupCapacity(0);
        p.setExpectedEventsPerSecond(0);
        assertThatThrownBy(() -> p.effectiveDedupCapacity(p.getDedupWindow())).hasMessageContaining("must be positive");
        p.setExpectedEventsPerSecond(5_000_000);
        p.setDedupWindow(Duration.ofDays(1));
        assertThatThrownBy(() -> p.effectiveDedupCapacity(p.getDedupWindow())).hasMessageContaining("more than one instance can hold");
    }

    @Test
    void theValidatorCountsIdsForgottenBeforeTheirWindow() {
        EventValidator small = validator(clock, Set.of(), 10, Duration.ofMinutes(10));
        for (int i = 0; i < 25; i++) {
            small.validate(event("\"game_activity\":\"login\"").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(small.dedupEarlyEvictions()).isEqualTo(15);
        assertThat(small.dedupEffectiveWindowMillis()).isZero(); // the clock stood still: ids were kept 0 ms
    }

    @Test
    void deduplicationAgreesWithAPlainModelThroughGrowthAndWrapAround() {
        java.util.Random random = new java.util.Random(3);
        EventIdDeduplicator dedup = new EventIdDeduplicator(2_000, 6_000); // the ring grows past 4,096, then wraps
        java.util.LinkedHashMap<UUID, Long> model = new java.util.LinkedHashMap<>();
        java.util.List<UUID> issued = new java.util.ArrayList<>();
        long now = 0;
        int duplicates = 0;
        for (int i = 0; i < 60_000; i++) {
            now += random.nextInt(3);
            UUID id = random.nextInt(4) == 0 && !issued.isEmpty()
                    ? issued.get(issued.size() - 1 - random.nextInt(Math.min(issued.size(), 9_000)))
                    : UUID.randomUUID();
            issued.add(id);
            long t = now;
            model.entrySet().removeIf(e -> t - e.getValue() > 2_000);
            while (model.size() >= 6_000) {
                model.remove(model.keySet().iterator().next());
            }
            boolean expected = model.putIfAbsent(id, now) == null;
            boolean actual = dedup.firstSeen(id, now);
            assertThat(actual).as("offer %d", i).isEqualTo(expected);
            duplicates += expected ? 0 : 1;
            assertThat(dedup.size()).isEqualTo(model.size());
        }
        assertThat(duplicates).as("the run exercised duplicates").isGreaterThan(1_000);
    }

    @Test
    void idsWithTheSameHashAreStillTellApartAndEvictedCleanly() {
        // UUIDs with equal msb ^ lsb share their 32-bit hash: they all land on one probe run.
        EventIdDeduplicator dedup = new EventIdDeduplicator(1_000, 300);
        long x = 0x1234_5678_9ABC_DEF0L;
        java.util.List<UUID> colliding = new java.util.ArrayList<>();
        for (long k = 1; k <= 600; k++) {
            colliding.add(new UUID(x ^ (k * 0x9E37_79B9L), k * 0x9E37_79B9L));
        }
        assertThat(colliding.stream().map(u -> EventIdDeduplicator.hash(u.getMostSignificantBits(), u.getLeastSignificantBits()))
                .distinct().count()).isEqualTo(1);
        for (int k = 0; k < 200; k++) {
            assertThat(dedup.firstSeen(colliding.get(k), k)).as("new id %d", k).isTrue();
        }
        for (int k = 0; k < 200; k++) {
            assertThat(dedup.firstSeen(colliding.get(k), 200)).as("repeat of id %d", k).isFalse();
        }
        for (int k = 200; k < 600; k++) { // capacity 300: the oldest ones are evicted from the middle of the run
            assertThat(dedup.firstSeen(colliding.get(k), 200 + k)).as("new id %d", k).isTrue();
        }
        assertThat(dedup.size()).isEqualTo(300);
        // A full window makes room before each offer: the first check evicts id 300, the oldest.
        for (int k = 599; k > 300; k--) {
            assertThat(dedup.firstSeen(colliding.get(k), 800)).as("remembered id %d", k).isFalse();
        }
        assertThat(dedup.size()).isEqualTo(299);
        assertThat(dedup.firstSeen(colliding.get(300), 800)).as("evicted id 300").isTrue();
        assertThat(dedup.firstSeen(colliding.get(0), 800)).as("evicted id 0").isTrue();
    }
}
