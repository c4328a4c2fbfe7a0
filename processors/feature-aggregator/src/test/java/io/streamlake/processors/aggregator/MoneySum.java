package io.streamlake.processors.aggregator;

import java.math.BigDecimal;

/**
 * An exact running sum of money. Amounts with at most two decimals (every casino amount the validator passes) are
 * added as long hundredths, so summing a day of minute buckets costs long additions, not BigDecimal ones; a finer
 * amount, or a sum beyond a long, is carried exactly beside them in a BigDecimal. Never rounded until read as a double.
 */
final class MoneySum {

    /** Integer digits an amount may have to be added as hundredths: at most 18 digits then, well inside a long. */
    private static final int MAX_INTEGER_DIGITS = 16;

    private long hundredths;
    /** What hundredths cannot hold exactly; null while there is nothing of the kind (the common case). */
    private BigDecimal rest;

    void add(BigDecimal amount) {
        if (amount == null) {
            return;
        }
        int scale = amount.scale();
        if (scale >= 0 && scale <= 2 && amount.precision() - scale <= MAX_INTEGER_DIGITS) {
            addHundredths(amount.movePointRight(2).longValue());
        } else {
            rest = rest == null ? amount : rest.add(amount);
        }
    }

    void add(MoneySum other) {
        addHundredths(other.hundredths);
        if (other.rest != null) {
            rest = rest == null ? other.rest : rest.add(other.rest);
        }
    }

    private void addHundredths(long h) {
        long sum = hundredths + h;
        if (((hundredths ^ sum) & (h ^ sum)) < 0) { // overflowed: keep this part exactly instead
            BigDecimal exact = BigDecimal.valueOf(h, 2);
            rest = rest == null ? exact : rest.add(exact);
        } else {
            hundredths = sum;
        }
    }

    BigDecimal exact() {
        BigDecimal h = BigDecimal.valueOf(hundredths, 2);
        return rest == null ? h : h.add(rest);
    }

    int signum() {
        return rest == null ? Long.signum(hundredths) : exact().signum();
    }

    /**
     * The sum as the nearest double: below 2^53 hundredths are an exact double, so dividing by 100.0 rounds once,
     * correctly, as BigDecimal.doubleValue does.
     */
    double doubleValue() {
        return rest == null && exactAsDouble(hundredths) ? hundredths / 100.0 : exact().doubleValue();
    }

    private static boolean exactAsDouble(long h) {
        return Math.abs(h) < (1L << 53);
    }

    /** {@code a - b - c}, computed exactly and then rounded once to a double. */
    static double difference(MoneySum a, MoneySum b, MoneySum c) {
        if (a.rest == null && b.rest == null && c.rest == null) {
            try {
                long h = Math.subtractExact(Math.subtractExact(a.hundredths, b.hundredths), c.hundredths);
                if (exactAsDouble(h)) {
                    return h / 100.0;
                }
            } catch (ArithmeticException beyondLong) {
                // fall through to the exact path
            }
        }
        return a.exact().subtract(b.exact()).subtract(c.exact()).doubleValue();
    }
}
