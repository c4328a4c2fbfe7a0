package io.streamlake.processors.validator;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.CasinoEventRules;
import io.streamlake.core.event.GameActivity;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates and normalizes casino events; no Spring in here. A record is accepted as a normalized
 * {@link CasinoEvent} (trimmed strings, lower-case activity and game type, upper-case currency) or rejected
 * with a {@link RejectionReason} and a detail naming the field. Duplicates by {@code event_id} within the
 * configured window are rejected as {@link RejectionReason#DUPLICATE_EVENT}.
 */
public final class EventValidator {

    /** The checks' parameters. */
    public record Rules(Duration maxPastAge, Duration maxFutureSkew, Map<String, BigDecimal> maxWinMultiplier,
                        Set<String> acceptedCurrencies, int maxPayloadBytes, Duration dedupWindow, int dedupCapacity) {
        public Rules {
            // the game types' names are normalized once, by CasinoEventRules
            acceptedCurrencies = acceptedCurrencies.stream().map(c -> c.strip().toUpperCase(Locale.ROOT))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /** The outcome for one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /** A valid event, normalized, and its JSON. */
    public record Accepted(CasinoEvent event, byte[] json) implements Result {
    }

    /** A rejected record: why, in words, and the exception behind it if there was one. */
    public record Rejected(RejectionReason reason, String detail, Throwable cause) implements Result {
    }

    private final Rules rules;
    private final CasinoEventRules eventRules;
    private final Clock clock;
    private final EventIdDeduplicator deduplicator;

    public EventValidator(Rules rules, Clock clock) {
        this.rules = rules;
        this.eventRules = new CasinoEventRules(rules.maxWinMultiplier());
        this.clock = clock;
        this.deduplicator = new EventIdDeduplicator(rules.dedupWindow().toMillis(), rules.dedupCapacity());
    }

    /** The checks' parameters in force (the dedup capacity as derived or configured). */
    public Rules rules() {
        return rules;
    }

    /** Event ids the deduplicator forgot before their window ended (its capacity was too small for the rate). */
    public long dedupEarlyEvictions() {
        return deduplicator.earlyEvictions();
    }

    /** How long the last id forgotten early had been remembered, in milliseconds, or -1 if none was. */
    public long dedupEffectiveWindowMillis() {
        return deduplicator.lastEarlyEvictionAgeMillis();
    }

    public Result validate(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return new Rejected(RejectionReason.EMPTY_PAYLOAD, "empty record", null);
        }
        if (payload.length > rules.maxPayloadBytes()) {
            return new Rejected(RejectionReason.PAYLOAD_TOO_LARGE, payload.length + " bytes, more than the "
                    + rules.maxPayloadBytes() + " accepted", null);
        }
        try {
            CasinoEvent event = normalize(CasinoEventJson.read(payload));
            if (!deduplicator.firstSeen(event.eventId(), clock.millis())) {
                return new Rejected(RejectionReason.DUPLICATE_EVENT, "event_id " + event.eventId()
                        + " already seen within " + rules.dedupWindow(), null);
            }
            return new Accepted(event, CasinoEventJson.write(event));
        } catch (InvalidEventException e) {
            return new Rejected(e.reason(), e.getMessage(), e);
        }
    }

    private CasinoEvent normalize(CasinoEvent raw) {
        if (raw.schemaVersion() != CasinoEvent.CURRENT_SCHEMA_VERSION) {
            throw invalid(RejectionReason.UNSUPPORTED_SCHEMA_VERSION, "schema_version",
                    "schema_version " + raw.schemaVersion() + " is not supported (only " + CasinoEvent.CURRENT_SCHEMA_VERSION + ")");
        }
        require(raw.eventId(), "event_id");
        String customerId = requireText(raw.customerId(), "customer_id");
        Instant at = require(raw.activityDatetime(), "activity_datetime");
        String activityName = requireText(raw.gameActivity(), "game_activity");
        GameActivity activity = GameActivity.fromWire(activityName).orElseThrow(() -> invalid(
                RejectionReason.UNKNOWN_ACTIVITY, "game_activity", "game_activity '" + activityName + "' is not one of "
                        + java.util.Arrays.stream(GameActivity.values()).map(GameActivity::wireName).toList()));

        Instant now = clock.instant();
        if (at.isBefore(now.minus(rules.maxPastAge())) || at.isAfter(now.plus(rules.maxFutureSkew()))) {
            throw invalid(RejectionReason.TIMESTAMP_OUT_OF_RANGE, "activity_datetime", "activity_datetime " + at
                    + " is outside [now - " + rules.maxPastAge() + ", now + " + rules.maxFutureSkew() + "]");
        }

        String gameType = lower(raw.gameType());
        String gameId = strip(raw.gameId());
        String currency = upper(raw.currency());
        BigDecimal bet = CasinoEventRules.money(raw.betAmount(), "bet_amount");
        BigDecimal win = CasinoEventRules.money(raw.winAmount(), "win_amount");
        BigDecimal bonus = CasinoEventRules.money(raw.bonusAmount(), "bonus_amount");
        BigDecimal transaction = CasinoEventRules.money(raw.transactionAmount(), "transaction_amount");
        // the same rules warehouse-etl applies to the batch files
        eventRules.checkActivity(activity, gameId, gameType, currency, bet, win, bonus, transaction);
        if (currency != null && !isAcceptedCurrency(currency)) {
            throw invalid(RejectionReason.UNKNOWN_CURRENCY, "currency", "currency '" + currency + "' is not "
                    + (rules.acceptedCurrencies().isEmpty() ? "an ISO 4217 code" : "one of " + rules.acceptedCurrencies()));
        }
        return new CasinoEvent(raw.eventId(), customerId, at, activity.wireName(), gameId, gameType, bet, win, bonus,
                transaction, currency, raw.schemaVersion());
    }

    private boolean isAcceptedCurrency(String code) {
        if (!rules.acceptedCurrencies().isEmpty()) {
            return rules.acceptedCurrencies().contains(code);
        }
        try {
            return Currency.getInstance(code) != null;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw invalid(RejectionReason.MISSING_FIELD, field, field + " is required");
        }
        return value;
    }

    private static String requireText(String value, String field) {
        String stripped = strip(value);
        if (stripped == null || stripped.isEmpty()) {
            throw invalid(RejectionReason.MISSING_FIELD, field, field + " is required");
        }
        return stripped;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    private static InvalidEventException invalid(RejectionReason reason, String field, String message) {
        return new InvalidEventException(reason, field, message);
    }
}
