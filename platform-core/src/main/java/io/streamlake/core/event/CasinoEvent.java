package io.streamlake.core.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One casino activity event, the showcase stream's record. Money is exact ({@link BigDecimal}, never
 * double); times are UTC instants with millisecond precision. Wire format: {@link CasinoEventJson}.
 *
 * @param eventId           unique per event; consumers use it for idempotency (dedup, ReplacingMergeTree)
 * @param customerId        the player; also the Kafka message key, so one customer's events stay in order
 * @param activityDatetime  when it happened (UTC, truncated to milliseconds)
 * @param gameActivity      bet, win, bonus, deposit, withdrawal, login, logout (see {@link GameActivity})
 * @param gameId            the game played (bet, win, bonus), else null
 * @param gameType          slots, roulette, blackjack, poker, sports, baccarat ..., else null
 * @param betAmount         stake of a bet, or the stake a win belongs to
 * @param winAmount         amount paid out by a win
 * @param bonusAmount       bonus credited (a bonus award, or the bonus part of a win)
 * @param transactionAmount amount of a deposit or withdrawal
 * @param currency          ISO 4217 code, e.g. EUR
 * @param schemaVersion     version of this record's shape ({@link #CURRENT_SCHEMA_VERSION})
 */
public record CasinoEvent(UUID eventId, String customerId, Instant activityDatetime, String gameActivity,
                          String gameId, String gameType, BigDecimal betAmount, BigDecimal winAmount,
                          BigDecimal bonusAmount, BigDecimal transactionAmount, String currency,
                          int schemaVersion) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    public CasinoEvent {
        activityDatetime = activityDatetime == null ? null : activityDatetime.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Gross gaming revenue of this event: stakes minus payouts (bonus credits count as payouts). */
    public BigDecimal grossGamingRevenue() {
        return orZero(betAmount).subtract(orZero(winAmount)).subtract(orZero(bonusAmount));
    }

    static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount;
    }
}
