package io.streamlake.tasks.etl;

/** Why a source row was not loaded; stored in the rejects table's {@code reason} column as the lower-case name. */
public enum RejectReason {
    /** The line could not be split into the header's columns (column count, unbalanced quotes). */
    MALFORMED_ROW,
    /** A required field is missing or blank. */
    MISSING_FIELD,
    /** A field holds a character the warehouse cannot store (NUL). */
    INVALID_CHARACTER,
    /** Not a UUID where one is required (event_id). */
    INVALID_UUID,
    /** A date or timestamp in none of the accepted formats. */
    INVALID_DATE,
    /** Not a decimal amount, or more decimal places or digits than money is stored with (the casino contract's decimal(18, 2)). */
    INVALID_AMOUNT,
    /** A negative amount. */
    NEGATIVE_AMOUNT,
    /** An activity that is not one of bet, win, bonus, deposit, withdrawal, login, logout. */
    UNKNOWN_ACTIVITY,
    /** A game type outside the configured list. */
    UNKNOWN_GAME_TYPE,
    /** A (non-bonus) win paying more than bet x the game type's maximum multiplier (the casino contract's rule). */
    WIN_EXCEEDS_MAX_MULTIPLIER,
    /** Not an ISO 4217 currency code. */
    INVALID_CURRENCY,
    /** Not an ISO 3166 alpha-2 country code. */
    INVALID_COUNTRY,
    /** A value outside its allowed range (e.g. an RTP above 100%). */
    OUT_OF_RANGE,
    /** A value the contract's enum or format does not list. */
    NOT_ALLOWED_VALUE,
    /** A string the contract's pattern does not match. */
    PATTERN_MISMATCH,
    /** A string longer than the contract's max-length. */
    VALUE_TOO_LONG,
    /** A cross-field rule of the contract failed (or a contract reason the warehouse has no name for). */
    RULE_VIOLATED,
    /** The same event_id appeared earlier in this run or is already in the warehouse. */
    DUPLICATE_EVENT;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
