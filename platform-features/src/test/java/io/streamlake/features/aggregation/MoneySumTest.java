package io.streamlake.features.aggregation;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MoneySumTest {

    @Test
    void equalsBigDecimalArithmeticOnRandomAmountsOfEveryScale() {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            MoneySum a = new MoneySum();
            MoneySum b = new MoneySum();
            MoneySum c = new MoneySum();
            BigDecimal ea = BigDecimal.ZERO;
            BigDecimal eb = BigDecimal.ZERO;
            BigDecimal ec = BigDecimal.ZERO;
            for (int i = 0; i < 50; i++) {
                BigDecimal amount = BigDecimal.valueOf(random.nextLong(-1_000_000_000L, 1_000_000_000L), random.nextInt(-1, 6));
                switch (i % 3) {
                    case 0 -> {
                        a.add(amount);
                        ea = ea.add(amount);
                    }
                    case 1 -> {
                        b.add(amount);
                        eb = eb.add(amount);
                    }
                    default -> {
                        c.add(amount);
                        ec = ec.add(amount);
                    }
                }
            }
            assertThat(a.exact()).isEqualByComparingTo(ea);
            assertThat(a.doubleValue()).isEqualTo(ea.doubleValue());
            assertThat(a.signum()).isEqualTo(ea.signum());
            assertThat(MoneySum.difference(a, b, c)).isEqualTo(ea.subtract(eb).subtract(ec).doubleValue());
        }
    }

    @Test
    void sumsOfSumsStayExact() {
        MoneySum bucket = new MoneySum();
        bucket.add(new BigDecimal("0.10"));
        bucket.add(new BigDecimal("0.2"));
        bucket.add(new BigDecimal("0.001")); // finer than hundredths: carried aside, still exact
        MoneySum window = new MoneySum();
        window.add(bucket);
        window.add(bucket);
        assertThat(window.exact()).isEqualByComparingTo("0.602");
        assertThat(window.doubleValue()).isEqualTo(0.602);
    }

    @Test
    void aSumBeyondALongIsKeptExactly() {
        MoneySum sum = new MoneySum();
        BigDecimal big = new BigDecimal("9000000000000000.00"); // 9e17 hundredths: ten of them overflow a long
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 12; i++) {
            sum.add(big);
            expected = expected.add(big);
        }
        assertThat(sum.exact()).isEqualByComparingTo(expected);
        assertThat(sum.doubleValue()).isEqualTo(expected.doubleValue());
        assertThat(MoneySum.difference(sum, new MoneySum(), new MoneySum())).isEqualTo(expected.doubleValue());
    }

    @Test
    void nullAmountsAddNothing() {
        MoneySum sum = new MoneySum();
        sum.add((BigDecimal) null);
        assertThat(sum.signum()).isZero();
        assertThat(sum.doubleValue()).isZero();
    }
}
