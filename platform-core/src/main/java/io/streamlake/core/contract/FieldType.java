package io.streamlake.core.contract;

/**
 * The value types a contract field can have: Avro's types and logical types as the apps hold them. In a record the
 * values are {@code String}, {@link java.util.UUID}, {@link java.time.Instant}, {@link java.math.BigDecimal},
 * {@code Integer}, {@code Long}, {@code Double} or {@code Boolean}.
 */
public enum FieldType {
    /** Avro {@code string} (and Avro {@code enum}, read as its symbol). */
    STRING,
    /** Avro {@code string} with logical type {@code uuid}. */
    UUID,
    /** Avro {@code long} with logical type {@code timestamp-millis}: an instant with millisecond precision. */
    TIMESTAMP_MILLIS,
    /** Avro {@code bytes} or {@code fixed} with logical type {@code decimal(precision, scale)}: exact, never rounded. */
    DECIMAL,
    /** Avro {@code int}. */
    INT,
    /** Avro {@code long}. */
    LONG,
    /** Avro {@code double} or {@code float}. */
    DOUBLE,
    /** Avro {@code boolean}. */
    BOOLEAN
}
