package io.streamlake.core.contract;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;


import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Normalizes a record's values in place and checks them against its contract; throws
 * {@link InvalidEventException} with the reason and the field. Spring-free but for SpEL, the rules' language.
 * <p>The order, so that a record with several faults is always refused for the same one:
 * <ol>
 *   <li>strings normalized (stripped, lower- or upper-cased as the field says; blank is absent);</li>
 *   <li>required fields (not optional in the schema) present, strings not blank ({@code MISSING_FIELD});</li>
 *   <li>each present value, field by field in the contract's order: enum or enum parameter, format, pattern,
 *       max-length, min and max, a decimal's precision and scale ({@code INVALID_AMOUNT}, never rounded), a
 *       timestamp's bounds against now ({@code TIMESTAMP_OUT_OF_RANGE});</li>
 *   <li>the fields the discriminator's value requires;</li>
 *   <li>the rules, in the contract's order.</li>
 * </ol>
 * Rules are SpEL ({@link ContractExpression}): fields by name, {@code #parameters}, operators and
 * properties, but no type references, constructors or bean references, so a contract from a registry cannot run
 * code. A rule that cannot be evaluated (a null where a number is needed) refuses the record with the rule's reason.
 */
public final class ContractChecks {

    private final Contract contract;
    private final ContractField[] fields;
    private final Clock clock;
    /** Per field, the allowed values (the enum, or the enum parameter's keys or elements), or null. */
    private final Set<Object>[] allowed;
    private final long[] maxPastAgeMillis;
    private final long[] maxFutureSkewMillis;
    /** Per rule, its unless and check (null where the rule has none). */
    private final ContractExpression[] unless;
    private final ContractExpression[] checks;

    public ContractChecks(Contract contract, Clock clock) {
        this(contract, clock, true);
    }

    /** {@code compileRules} false: every rule through SpEL's interpreter (the test that holds both to one outcome). */
    @SuppressWarnings("unchecked")
    ContractChecks(Contract contract, Clock clock, boolean compileRules) {
        this.contract = contract;
        this.fields = contract.fields().toArray(new ContractField[0]);
        this.clock = clock;
        this.allowed = new Set[fields.length];
        this.maxPastAgeMillis = new long[fields.length];
        this.maxFutureSkewMillis = new long[fields.length];
        for (ContractField f : fields) {
            allowed[f.index] = allowedValues(contract, f);
            maxPastAgeMillis[f.index] = f.maxPastAge == null ? -1 : f.maxPastAge.toMillis();
            maxFutureSkewMillis[f.index] = f.maxFutureSkew == null ? -1 : f.maxFutureSkew.toMillis();
        }
        List<ContractRule> rules = contract.rules();
        this.unless = new ContractExpression[rules.size()];
        this.checks = new ContractExpression[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            ContractRule rule = rules.get(i);
            unless[i] = rule.unless() == null ? null : new ContractExpression(rule.unless(), contract, compileRules);
            checks[i] = rule.check() == null ? null : new ContractExpression(rule.check(), contract, compileRules);
        }
    }

    public Contract contract() {
        return contract;
    }

    /** Normalizes {@code values} in place and checks them; throws {@link InvalidEventException} for the first fault. */
    public void check(Object[] values) {
        for (ContractField f : fields) {
            if (f.type == FieldType.STRING && values[f.index] != null) {
                values[f.index] = normalize(f, (String) values[f.index]);
            }
        }
        for (ContractField f : fields) {
            if (!f.optional) {
                require(values, f, null);
            }
        }
        long now = -1;
        for (ContractField f : fields) {
            Object v = values[f.index];
            if (v == null) {
                continue;
            }
            checkValue(f, v);
            if (f.type == FieldType.TIMESTAMP_MILLIS && (maxPastAgeMillis[f.index] >= 0 || maxFutureSkewMillis[f.index] >= 0)) {
                now = now < 0 ? clock.millis() : now;
                checkTime(f, (Instant) v, now);
            }
        }
        ContractField discriminator = contract.discriminator();
        String kind = discriminator == null || values[discriminator.index] == null ? null
                : values[discriminator.index].toString();
        if (kind != null) {
            List<ContractField> required = contract.requiredWhen().get(kind);
            if (required != null) {
                for (ContractField f : required) {
                    require(values, f, kind);
                }
            }
        }
        List<ContractRule> rules = contract.rules();
        for (int i = 0; i < rules.size(); i++) {
            ContractRule rule = rules.get(i);
            if (!rule.on().isEmpty() && (kind == null || !rule.on().contains(kind))) {
                continue;
            }
            if (unless[i] != null && isTrue(rule, unless[i], values)) {
                continue;
            }
            for (ContractField f : rule.require()) {
                require(values, f, kind);
            }
            if (checks[i] != null && !isTrue(rule, checks[i], values)) {
                throw new InvalidEventException(rule.reason(), rule.field() == null ? null : rule.field().name,
                        "rule " + rule.name() + " failed: " + rule.message() + " (" + describe(rule, values) + ")");
            }
        }
    }

    private static boolean isTrue(ContractRule rule, ContractExpression expression, Object[] values) {
        try {
            return expression.test(values);
        } catch (ContractExpression.EvaluationFailure e) {
            throw new InvalidEventException(rule.reason(), rule.field() == null ? null : rule.field().name,
                    "rule " + rule.name() + " could not be evaluated on this record: " + e.getMessage(), e);
        }
    }

    private String describe(ContractRule rule, Object[] values) {
        StringJoiner shown = new StringJoiner(", ");
        if (rule.field() != null) {
            shown.add(rule.field().name + "=" + text(values[rule.field().index]));
        }
        for (ContractField f : rule.require()) {
            shown.add(f.name + "=" + text(values[f.index]));
        }
        if (contract.discriminator() != null) {
            shown.add(contract.discriminator().name + "=" + text(values[contract.discriminator().index]));
        }
        return shown.toString();
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
    }

    private void checkValue(ContractField f, Object v) {
        Set<Object> values = allowed[f.index];
        if (values != null && !values.contains(v)) {
            throw new InvalidEventException(f.reason, f.name, f.name + " '" + ContractJson.abbreviate(text(v))
                    + "' is not one of " + values);
        }
        if (v instanceof String s) {
            if (values == null && f.format != null && !isCurrency(s)) {
                throw new InvalidEventException(f.reason, f.name, f.name + " '" + ContractJson.abbreviate(s) + "' is not an ISO 4217 code");
            }
            if (f.maxLength >= 0 && s.length() > f.maxLength) {
                throw new InvalidEventException(RejectionReason.VALUE_TOO_LONG, f.name, f.name + " has " + s.length()
                        + " characters, more than the " + f.maxLength + " allowed");
            }
            if (f.pattern != null && !f.pattern.matcher(s).matches()) {
                throw new InvalidEventException(f.reason, f.name, f.name + " '" + ContractJson.abbreviate(s)
                        + "' does not match " + f.pattern.pattern());
            }
            return;
        }
        if (f.min != null || f.max != null) {
            checkRange(f, v);
        }
        if (f.type == FieldType.DECIMAL) {
            checkDecimal(f, (BigDecimal) v);
        }
    }

    private static void checkRange(ContractField f, Object v) {
        int belowMin = f.min == null ? 1 : compare(v, f.min);
        int aboveMax = f.max == null ? -1 : compare(v, f.max);
        if (belowMin < 0) {
            throw new InvalidEventException(f.rangeReason, f.name, f.name + " " + text(v) + " is below the minimum "
                    + f.min.toPlainString() + (f.min.signum() == 0 ? " (negative)" : ""));
        }
        if (aboveMax > 0) {
            throw new InvalidEventException(f.rangeReason, f.name, f.name + " " + text(v) + " is above the maximum "
                    + f.max.toPlainString());
        }
    }

    private static int compare(Object v, BigDecimal bound) {
        if (v instanceof BigDecimal d) {
            return d.compareTo(bound);
        }
        if (v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue()).compareTo(bound);
        }
        if (v instanceof Double d) {
            return Double.isNaN(d) ? 1 : Double.compare(d, bound.doubleValue());
        }
        return 0;
    }

    /** Refuses a decimal with more places or digits than the field's decimal(precision, scale); never rounds. */
    private static void checkDecimal(ContractField f, BigDecimal amount) {
        // The scale that matters is the written one without trailing zeros (2.500 is 2.5); stripping allocates, so only
        // amounts written with more places than the field has are stripped. A huge exponent is refused by size below.
        int scale = amount.scale();
        if (scale > f.scale) {
            scale = amount.signum() == 0 ? 0 : amount.stripTrailingZeros().scale();
        }
        if (scale > f.scale) {
            throw new InvalidEventException(RejectionReason.INVALID_AMOUNT, f.name, f.name + " " + amount
                    + " has more than " + f.scale + " decimal places (stored as Decimal(" + f.precision + ", " + f.scale
                    + "), never rounded)");
        }
        if (amount.precision() - amount.scale() > f.precision - f.scale) {
            throw new InvalidEventException(RejectionReason.INVALID_AMOUNT, f.name, f.name + " " + amount
                    + " has more than " + (f.precision - f.scale) + " digits before the decimal point (stored as Decimal("
                    + f.precision + ", " + f.scale + "))");
        }
    }

    private void checkTime(ContractField f, Instant at, long now) {
        long pastAge = maxPastAgeMillis[f.index];
        long futureSkew = maxFutureSkewMillis[f.index];
        long t;
        try {
            t = at.toEpochMilli();
        } catch (ArithmeticException outOfLongRange) {
            t = at.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if ((pastAge >= 0 && t < now - pastAge) || (futureSkew >= 0 && t > now + futureSkew)) {
            throw new InvalidEventException(RejectionReason.TIMESTAMP_OUT_OF_RANGE, f.name, f.name + " " + at
                    + " is outside [" + (pastAge >= 0 ? "now - " + f.maxPastAge : "any time") + ", "
                    + (futureSkew >= 0 ? "now + " + f.maxFutureSkew : "any time") + "]");
        }
    }

    private static void require(Object[] values, ContractField f, String kind) {
        Object v = values[f.index];
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, f.name, f.name + " is required"
                    + (kind == null ? "" : " (for " + kind + ")"));
        }
    }

    /** The value as the field normalizes it; a blank value of a stripped field is absent (as an empty CSV cell is). */
    private static String normalize(ContractField f, String s) {
        if (f.normalize == ContractField.Normalize.NONE) {
            return s;
        }
        String stripped = s.strip();
        if (stripped.isEmpty()) {
            return null;
        }
        return switch (f.normalize) {
            case LOWER -> lower(stripped);
            case UPPER -> upper(stripped);
            default -> stripped;
        };
    }

    /** Lower-cases without a copy when there is nothing to change (most values already are). */
    private static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 0x7f) {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }

    private static String upper(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c > 0x7f) {
                return s.toUpperCase(Locale.ROOT);
            }
        }
        return s;
    }

    private static boolean isCurrency(String code) {
        try {
            return Currency.getInstance(code) != null;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** The enum, or the enum parameter's keys (a map) or elements (a list), normalized as the field; empty lists none. */
    private static Set<Object> allowedValues(Contract contract, ContractField f) {
        Collection<?> source;
        if (f.enumParameter != null) {
            Object parameter = contract.parameters().get(f.enumParameter);
            source = parameter instanceof Map<?, ?> m ? m.keySet() : parameter instanceof Collection<?> c ? c : List.of();
        } else {
            source = f.enumValues;
        }
        if (source == null || source.isEmpty()) {
            return null;
        }
        Set<Object> values = new java.util.LinkedHashSet<>();
        for (Object v : source) {
            // the contract's enum is typed already; a parameter's values are text or BigDecimal
            Object typed = f.enumParameter != null ? ContractParser.typed(f, v, f.name + ".enum-parameter") : v;
            values.add(typed instanceof String s ? normalize(f, s) : typed);
        }
        return java.util.Collections.unmodifiableSet(values);
    }
}
