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

    public static Optional<FeatureType> ofFeastName(String name) {
        return Arrays.stream(values()).filter(t -> t.feastName.equals(name)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(FeatureType::feastName).toList().toString();
    }
}
