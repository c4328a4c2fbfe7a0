package io.streamlake.core.event;

/**
 * Why a record was sent to a dead-letter topic instead of downstream. The name travels in the
 * {@code x-dlq-reason} header and tags the {@code streamlake.records.rejected} counter.
 */
public enum RejectionReason {
    /** Zero bytes or a null value. */
    EMPTY_PAYLOAD,
    /** Larger than the app accepts; the DLQ copy is truncated. */
    PAYLOAD_TOO_LARGE,
    /** Not parseable as JSON (including binary garbage and invalid UTF-8). */
    MALFORMED_JSON,
    /** Avro that cannot be read: truncated or garbled bytes, or a writer schema Avro cannot resolve to the contract. */
    MALFORMED_AVRO,
    /** Avro whose writer schema is not known: a schema id, subject or version the schema registry does not have. */
    UNKNOWN_SCHEMA,
    /** JSON, but not an object. */
    NOT_AN_OBJECT,
    /** A field the event needs is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or an unparseable value (UUID, timestamp). */
    WRONG_TYPE,
    /** A schema_version this app does not understand. */
    UNSUPPORTED_SCHEMA_VERSION,
    /** game_activity is not one of the known activities. */
    UNKNOWN_ACTIVITY,
    /** game_type is not one of the configured game types. */
    UNKNOWN_GAME_TYPE,
    /** currency is not an ISO 4217 code (or not an accepted one). */
    UNKNOWN_CURRENCY,
    /** A money amount is negative. */
    NEGATIVE_AMOUNT,
    /** A decimal (money) with more decimal places or digits than its contract's decimal(precision, scale): never rounded. */
    INVALID_AMOUNT,
    /** A value its contract's enum (or enum parameter, or format) does not list. */
    NOT_ALLOWED_VALUE,
    /** A number below its contract's min or above its max. */
    OUT_OF_RANGE,
    /** A string its contract's pattern does not match as a whole. */
    PATTERN_MISMATCH,
    /** A string longer than its contract's max-length. */
    VALUE_TOO_LONG,
    /** A contract's cross-field rule failed (rules may name a more specific reason). */
    RULE_VIOLATED,
    /** A (non-bonus) win pays more than bet × the game's maximum multiplier. */
    WIN_EXCEEDS_MAX_MULTIPLIER,
    /** activity_datetime is too far from now. */
    TIMESTAMP_OUT_OF_RANGE,
    /** Older than its entity's latest event by more than the aggregation's grace period. */
    LATE_EVENT,
    /** The same event_id was already seen within the deduplication window. */
    DUPLICATE_EVENT,
    /** A feature row names a feature view the registry does not declare. */
    UNKNOWN_FEATURE_VIEW,
    /** A feature row names a feature its view does not declare. */
    UNKNOWN_FEATURE,
    /** The destination (e.g. ClickHouse) refused the row itself, not because it was unavailable. */
    SINK_REJECTED
}
