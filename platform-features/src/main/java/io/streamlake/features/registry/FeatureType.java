package io.streamlake.features.registry;

import io.streamlake.features.feast.FeastValue;

import java.util.Arrays;
import java.util.Optional;

/** Feature and entity value types, named as in Feast's Python SDK (feast.types). */
public enum FeatureType {
    INT32("Int32", FeastValue.Type.INT32),
    INT64("Int64", FeastValue.Type.INT64),
    FLOAT32("Float32", FeastValue.Type.FLOAT),
    FLOAT64("Float64", FeastValue.Type.DOUBLE),
    STRING("String", FeastValue.Type.STRING),
    BYTES("Bytes", FeastValue.Type.BYTES),
    BOOL("Bool", FeastValue.Type.BOOL),
    UNIX_TIMESTAMP("UnixTimestamp", FeastValue.Type.UNIX_TIMESTAMP);

    private final String feastName;
    private final FeastValue.Type valueType;

    FeatureType(String feastName, FeastValue.Type valueType) {
        this.feastName = feastName;
        this.valueType = valueType;
    }

    public String feastName() {
        return feastName;
    }

    public FeastValue.Type valueType() {
        return valueType;
    }

    /**
     * A value as a JDBC driver returns it (ClickHouse or PostgreSQL: numbers, strings, booleans, timestamps), typed as
     * this feature; null stays null. Used wherever features are read from an offline store.
     */
    public FeastValue fromJdbc(Object value) {
        if (value == null) {
            return FeastValue.ofNull();
        }
        return switch (this) {
            case INT32 -> FeastValue.ofInt32(((Number) value).intValue());
            case INT64 -> FeastValue.ofInt64(((Number) value).longValue());
            case FLOAT32 -> FeastValue.ofFloat(((Number) value).floatValue());
            case FLOAT64 -> FeastValue.ofDouble(((Number) value).doubleValue());
            case STRING -> FeastValue.ofString(value.toString());
            case BYTES -> FeastValue.ofBytes(value instanceof byte[] b ? b : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case BOOL -> FeastValue.ofBool(value instanceof Boolean b ? b : ((Number) value).intValue() != 0);
            case UNIX_TIMESTAMP -> FeastValue.ofUnixTimestamp(epochSeconds(value));
        };
    }

    /** Seconds since the epoch of a JDBC timestamp value (a timestamp without zone is read as UTC). */
    public static long epochSeconds(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().getEpochSecond();
        } else if (value instanceof java.time.OffsetDateTime t) {
            return t.toEpochSecond();
        } else if (value instanceof java.time.ZonedDateTime t) {
            return t.toEpochSecond();
        } else if (value instanceof java.time.LocalDateTime t) {
            return t.toEpochSecond(java.time.ZoneOffset.UTC);
        } else if (value instanceof java.time.Instant t) {
            return t.getEpochSecond();
        }
        return ((Number) value).longValue();
    }

    public static Optional<FeatureType> ofFeastName(String name) {
        return Arrays.stream(values()).filter(t -> t.feastName.equals(name)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(FeatureType::feastName).toList().toString();
    }
}
