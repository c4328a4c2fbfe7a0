package io.streamlake.core.contract;

import io.streamlake.core.event.RejectionReason;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One field of a {@link Contract}: its Avro type and the checks its {@code "streamlake"} property declares. Built by
 * {@link ContractParser}; read-only after.
 */
public final class ContractField {

    /** How a string value is normalized before it is checked and written. */
    public enum Normalize { NONE, STRIP, LOWER, UPPER }

    /** What happens to a personal value before it leaves the validator ({@link ContractPii}). */
    public enum Pii { NONE, HASH, MASK }

    final String name;
    final int index;
    final FieldType type;
    final String doc;
    /** Absent values are allowed: a union with null, or a default. */
    boolean optional;
    /** The value an absent field takes (Avro's default), or null. */
    Object defaultValue;
    int precision;
    int scale;
    Normalize normalize = Normalize.STRIP;
    Pii pii = Pii.NONE;
    /** Allowed values, or null; the values of {@link #enumParameter} when that is set. */
    List<Object> enumValues;
    String enumParameter;
    BigDecimal min;
    BigDecimal max;
    Pattern pattern;
    int maxLength = -1;
    /** {@code iso-4217} (a currency code) or null. */
    String format;
    Duration maxPastAge;
    Duration maxFutureSkew;
    /** JSON integers are read as their decimal text (an id a producer writes as a number). */
    boolean jsonIntegerAsString;
    /** The reason for a value the enum, format or pattern refuses. */
    RejectionReason reason;
    /** The reason for a value below min or above max. */
    RejectionReason rangeReason;

    ContractField(String name, int index, FieldType type, String doc) {
        this.name = name;
        this.index = index;
        this.type = type;
        this.doc = doc;
    }

    /** A copy to adjust (an app's override of the contract's bounds). */
    ContractField copy() {
        ContractField c = new ContractField(name, index, type, doc);
        c.optional = optional;
        c.defaultValue = defaultValue;
        c.precision = precision;
        c.scale = scale;
        c.normalize = normalize;
        c.enumValues = enumValues;
        c.enumParameter = enumParameter;
        c.min = min;
        c.max = max;
        c.pattern = pattern;
        c.maxLength = maxLength;
        c.format = format;
        c.maxPastAge = maxPastAge;
        c.maxFutureSkew = maxFutureSkew;
        c.jsonIntegerAsString = jsonIntegerAsString;
        c.reason = reason;
        c.rangeReason = rangeReason;
        return c;
    }

    public String name() {
        return name;
    }

    /** The field's position in the contract, and in a record's values. */
    public int index() {
        return index;
    }

    public FieldType type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public boolean optional() {
        return optional;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    /** A decimal's digits in all (0 for other types). */
    public int precision() {
        return precision;
    }

    /** A decimal's digits after the point (0 for other types). */
    public int scale() {
        return scale;
    }

    public Pii pii() {
        return pii;
    }

    public Normalize normalize() {
        return normalize;
    }

    public List<Object> enumValues() {
        return enumValues;
    }

    public String enumParameter() {
        return enumParameter;
    }

    public BigDecimal min() {
        return min;
    }

    public BigDecimal max() {
        return max;
    }

    public Pattern pattern() {
        return pattern;
    }

    public int maxLength() {
        return maxLength;
    }

    public String format() {
        return format;
    }

    public Duration maxPastAge() {
        return maxPastAge;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    public boolean jsonIntegerAsString() {
        return jsonIntegerAsString;
    }

    @Override
    public String toString() {
        return name + ":" + type + (optional ? "?" : "");
    }
}
