package io.streamlake.tasks.etl;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.event.InvalidEventException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule set for stream and batch: 10,000 generated and mutated casino events, each judged as event-validator judges
 * a JSON record (the casino contract's JSON reading and checks) and as warehouse-etl cleans the same values as a CSV
 * row, get the same verdict: accepted with the same normalized values, or refused for the same reason in the same words
 * (a malformed event_id and a currency outside ISO 4217 have the warehouse's own names).
 */
class StreamAndBatchVerdictTest {

    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");
    private static final Contract CASINO = ContractRepository.at("").get("casino-activity", ContractRepository.LATEST);
    private static final String[] ACTIVITIES = {"bet", "win", "bonus", "deposit", "withdrawal", "login", "logout", " WIN ",
            "Bet", "cheat", " "};
    private static final String[] GAME_TYPES = {"slots", "roulette", "blackjack", "ROULETTE", " poker ", "keno", " "};
    private static final String[] CURRENCIES = {"EUR", "usd", " gbp ", "XYZ", "EU", " "};
    private static final String[] AMOUNTS = {"1", "2.50", "-1", "0", "1.234", "36.01", "36", "5000", "100000",
            "12345678901234567", "0.00", "2.500", "180000.25"};
    private static final List<String> FIELDS = List.of("event_id", "customer_id", "activity_datetime", "game_activity",
            "game_id", "game_type", "bet_amount", "win_amount", "bonus_amount", "transaction_amount", "currency");
    private static final List<String> AMOUNT_FIELDS = List.of("bet_amount", "win_amount", "bonus_amount", "transaction_amount");

    private final ContractJson json = new ContractJson(CASINO);
    private final ContractChecks stream = new ContractChecks(CASINO, Clock.fixed(NOW, ZoneOffset.UTC));
    private final SourceRowCleaner batch = new SourceRowCleaner(new SourceTimestamps(ZoneId.of("UTC"),
            List.of("yyyy-MM-dd HH:mm:ss[.SSS]"), List.of()), CASINO);

    @Test
    void theValidatorAndWarehouseEtlGiveTheSameVerdictOnTenThousandEvents() {
        Random random = new Random(2026);
        Map<String, Integer> verdicts = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, String> event = event(random);
            String streamVerdict = streamVerdict(event);
            String batchVerdict = batchVerdict(event);
            assertThat(batchVerdict).as("event %d %s", i, event).isEqualTo(streamVerdict);
            String[] words = streamVerdict.split(" ");
            verdicts.merge(words[0].equals("accepted") ? "accepted" : words[0] + " " + words[1], 1, Integer::sum);
        }
        assertThat(verdicts.get("accepted")).as("a good share are valid: %s", verdicts).isGreaterThan(1_000);
        assertThat(verdicts.keySet()).as("every rule was exercised: %s", verdicts).contains("rejected MISSING_FIELD",
                "rejected UNKNOWN_ACTIVITY", "rejected UNKNOWN_GAME_TYPE", "rejected INVALID_CURRENCY", "rejected NEGATIVE_AMOUNT",
                "rejected INVALID_AMOUNT", "rejected WIN_EXCEEDS_MAX_MULTIPLIER", "rejected INVALID_UUID");
    }

    /** A random event, mostly plausible, with one or two fields mutated or left out. */
    private static Map<String, String> event(Random random) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("event_id", random.nextInt(60) == 0 ? "not-a-uuid" : new UUID(random.nextLong(), random.nextLong()).toString());
        e.put("customer_id", random.nextInt(60) == 0 ? " " : "C" + random.nextInt(500));
        e.put("activity_datetime", NOW.minusSeconds(random.nextInt(86_400)).toString());
        String activity = ACTIVITIES[random.nextInt(ACTIVITIES.length)];
        e.put("game_activity", activity);
        if (random.nextInt(5) > 0) {
            e.put("game_id", "g" + random.nextInt(20));
        }
        if (random.nextInt(5) > 0) {
            e.put("game_type", GAME_TYPES[random.nextInt(GAME_TYPES.length)]);
        }
        for (String amount : AMOUNT_FIELDS) {
            if (random.nextInt(3) == 0) {
                e.put(amount, AMOUNTS[random.nextInt(AMOUNTS.length)]);
            }
        }
        String kind = activity.strip().toLowerCase(java.util.Locale.ROOT);
        String needed = switch (kind) { // most events carry the amount their activity needs
            case "bet" -> "bet_amount";
            case "win" -> "win_amount";
            case "bonus" -> "bonus_amount";
            case "deposit", "withdrawal" -> "transaction_amount";
            default -> null;
        };
        if (needed != null && random.nextInt(8) > 0) {
            e.putIfAbsent(needed, AMOUNTS[random.nextInt(AMOUNTS.length)]);
            if (kind.equals("win") && random.nextBoolean()) {
                e.put("bet_amount", AMOUNTS[random.nextInt(4)]);
            }
        }
        if (random.nextInt(6) > 0) {
            e.put("currency", CURRENCIES[random.nextInt(CURRENCIES.length)]);
        }
        if (random.nextInt(25) == 0) {
            e.remove(FIELDS.get(random.nextInt(FIELDS.size())));
        }
        return e;
    }

    /** As event-validator: the event as JSON, read and checked by the contract. */
    private String streamVerdict(Map<String, String> event) {
        StringBuilder b = new StringBuilder("{");
        event.forEach((field, value) -> {
            b.append(b.length() > 1 ? "," : "").append('"').append(field).append("\":");
            b.append(AMOUNT_FIELDS.contains(field) ? value : "\"" + value + "\"");
        });
        try {
            Object[] values = json.read(b.append('}').toString().getBytes(StandardCharsets.UTF_8));
            stream.check(values);
            return "accepted " + Arrays.toString(Arrays.copyOf(values, 11));
        } catch (InvalidEventException e) {
            // the warehouse's names for the same faults: a malformed event_id, a currency outside ISO 4217
            String reason = e.reason().name().equals("UNKNOWN_CURRENCY") ? "INVALID_CURRENCY"
                    : e.reason().name().equals("WRONG_TYPE") && "event_id".equals(e.field()) ? "INVALID_UUID" : e.reason().name();
            return "rejected " + reason + (reason.equals("INVALID_UUID") ? "" : " " + e.getMessage());
        }
    }

    /** As warehouse-etl: the same values as a CSV row, cleaned. */
    private String batchVerdict(Map<String, String> event) {
        SourceRows.Cleaned<SourceRows.Activity> cleaned = batch.activity(new CsvRecord("events.csv", 2, event, "", null));
        if (cleaned instanceof SourceRows.Rejected<SourceRows.Activity> r) {
            return "rejected " + r.reason().name() + (r.reason() == RejectReason.INVALID_UUID ? "" : " " + r.detail());
        }
        SourceRows.Activity a = ((SourceRows.Clean<SourceRows.Activity>) cleaned).row();
        return "accepted " + Arrays.toString(new Object[] {a.eventId(), a.customerId(), a.activityDatetime(), a.gameActivity(),
                a.gameId(), a.gameType(), a.betAmount(), a.winAmount(), a.bonusAmount(), a.transactionAmount(), a.currency()});
    }
}
