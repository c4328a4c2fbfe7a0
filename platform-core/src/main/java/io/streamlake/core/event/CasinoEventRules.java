package io.streamlake.core.event;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The casino event's business rules, one set for every app that judges an event: event-validator in the stream and
 * warehouse-etl in the batch load give the same verdict on the same values. Spring-free; the apps read their
 * configuration into it ({@code max-win-multiplier.<type>}, the same property and defaults in both).
 * <ul>
 *   <li><b>Money</b>: at most {@value #MONEY_SCALE} decimal places and {@value #MONEY_PRECISION} digits in all, the
 *       columns that store it (ClickHouse {@code Decimal(18, 2)}, PostgreSQL {@code numeric(18,2)}); anything else is
 *       refused as {@link RejectionReason#INVALID_AMOUNT}, never rounded or cut. Trailing zeros do not count
 *       ({@code 2.500} is 2.5). Negative amounts are {@link RejectionReason#NEGATIVE_AMOUNT}.</li>
 *   <li><b>Game types</b>: those with a maximum win multiplier; any other is {@link RejectionReason#UNKNOWN_GAME_TYPE}.</li>
 *   <li><b>Per activity</b>: gameplay (bet, win, bonus) needs game id and type; money movements need a currency;
 *       bet needs bet_amount, win needs win_amount (and bet_amount unless it is a bonus win), bonus needs
 *       bonus_amount, deposit and withdrawal need transaction_amount; a win of more than bet x the type's multiplier
 *       is {@link RejectionReason#WIN_EXCEEDS_MAX_MULTIPLIER} (bonus wins exempt).</li>
 * </ul>
 */
public final class CasinoEventRules {

    /** Decimal places of a money amount. */
    public static final int MONEY_SCALE = 2;
    /** Digits of a money amount in all (so at most 16 before the point). */
    public static final int MONEY_PRECISION = 18;

    private final Map<String, BigDecimal> maxWinMultiplier;

    public CasinoEventRules(Map<String, BigDecimal> maxWinMultiplier) {
        Map<String, BigDecimal> normalized = new LinkedHashMap<>();
        maxWinMultiplier.forEach((type, m) -> {
            if (m == null || m.signum() <= 0) {
                throw new IllegalArgumentException("max-win-multiplier." + type + " must be positive, not " + m);
            }
            normalized.put(type.strip().toLowerCase(Locale.ROOT), m);
        });
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("at least one game type (max-win-multiplier.<type>) is needed");
        }
        this.maxWinMultiplier = Collections.unmodifiableMap(normalized);
    }

    /** The game types a casino knows and the largest win each pays as a multiple of the bet. */
    public static Map<String, BigDecimal> defaultMaxWinMultipliers() {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        m.put("slots", new BigDecimal("5000"));
        m.put("roulette", new BigDecimal("36"));
        m.put("blackjack", new BigDecimal("8"));
        m.put("poker", new BigDecimal("500"));
        m.put("sports", new BigDecimal("1000"));
        m.put("baccarat", new BigDecimal("9"));
        m.put("live", new BigDecimal("500"));     // live-dealer shows with multiplier rounds
        m.put("bingo", new BigDecimal("10000"));
        m.put("lottery", new BigDecimal("1000000"));
        return m;
    }

    public static CasinoEventRules defaults() {
        return new CasinoEventRules(defaultMaxWinMultipliers());
    }

    public Map<String, BigDecimal> maxWinMultiplier() {
        return maxWinMultiplier;
    }

    public Set<String> gameTypes() {
        return maxWinMultiplier.keySet();
    }

    /** A money amount as stored, or null for null; refused when negative, too precise or too large. */
    public static BigDecimal money(BigDecimal amount, String field) {
        if (amount == null) {
            return null;
        }
        if (amount.signum() < 0) {
            throw new InvalidEventException(RejectionReason.NEGATIVE_AMOUNT, field, field + " is negative: " + amount.toPlainString());
        }
        // The scale that matters is the written one without trailing zeros (2.500 is 2.5); stripping allocates, so only
        // amounts written with more places than money has are stripped. A huge exponent is refused by size below.
        int scale = amount.scale();
        if (scale > MONEY_SCALE) {
            scale = amount.signum() == 0 ? 0 : amount.stripTrailingZeros().scale();
        }
        if (scale > MONEY_SCALE) {
            throw new InvalidEventException(RejectionReason.INVALID_AMOUNT, field, field + " " + amount.toString()
                    + " has more than " + MONEY_SCALE + " decimal places (money is stored as Decimal(" + MONEY_PRECISION
                    + ", " + MONEY_SCALE + "), never rounded)");
        }
        if (amount.precision() - amount.scale() > MONEY_PRECISION - MONEY_SCALE) {
            throw new InvalidEventException(RejectionReason.INVALID_AMOUNT, field, field + " " + amount.toString()
                    + " has more than " + (MONEY_PRECISION - MONEY_SCALE) + " digits before the decimal point (money is stored as Decimal("
                    + MONEY_PRECISION + ", " + MONEY_SCALE + "))");
        }
        return amount;
    }

    /** Refuses a game type the rules do not know; null passes (activities without a game). */
    public void checkGameType(String gameType) {
        if (gameType != null && !maxWinMultiplier.containsKey(gameType)) {
            throw new InvalidEventException(RejectionReason.UNKNOWN_GAME_TYPE, "game_type", "game_type '" + gameType
                    + "' is not one of " + gameTypes());
        }
    }

    /**
     * The per-activity rules on normalized values (lower-case activity and game type, amounts through
     * {@link #money}); throws {@link InvalidEventException} naming the field.
     */
    public void checkActivity(GameActivity activity, String gameId, String gameType, String currency, BigDecimal bet,
                              BigDecimal win, BigDecimal bonus, BigDecimal transaction) {
        if (activity.isGameplay()) {
            requireText(gameId, "game_id");
            requireText(gameType, "game_type");
        }
        checkGameType(gameType);
        if (activity.movesMoney()) {
            requireText(currency, "currency");
        }
        switch (activity) {
            case BET -> require(bet, "bet_amount");
            case WIN -> {
                require(win, "win_amount");
                boolean bonusWin = bonus != null && bonus.signum() > 0;
                if (!bonusWin) {
                    require(bet, "bet_amount");
                    BigDecimal multiplier = maxWinMultiplier.get(gameType);
                    if (win.compareTo(bet.multiply(multiplier)) > 0) {
                        throw new InvalidEventException(RejectionReason.WIN_EXCEEDS_MAX_MULTIPLIER, "win_amount", "win_amount "
                                + win + " exceeds bet_amount " + bet + " x " + multiplier + " (max for " + gameType + ")");
                    }
                }
            }
            case BONUS -> require(bonus, "bonus_amount");
            case DEPOSIT, WITHDRAWAL -> require(transaction, "transaction_amount");
            default -> {
            }
        }
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, field, field + " is required");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, field, field + " is required");
        }
    }
}
