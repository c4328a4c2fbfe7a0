package io.streamlake.features.expression;

import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The numeric and null rules of feature expressions, and what they refuse when compiled. */
class FeatureExpressionTest {

    private static final Map<String, FeatureExpression.Name> NAMES = Map.of(
            "bets", new FeatureExpression.Name(0, FeatureExpression.Kind.NUMBER),
            "stake", new FeatureExpression.Name(1, FeatureExpression.Kind.NUMBER),
            "won", new FeatureExpression.Name(2, FeatureExpression.Kind.NUMBER),
            "ratio", new FeatureExpression.Name(3, FeatureExpression.Kind.NUMBER),
            "state", new FeatureExpression.Name(4, FeatureExpression.Kind.STRING),
            "since", new FeatureExpression.Name(5, FeatureExpression.Kind.TIME),
            "now", new FeatureExpression.Name(6, FeatureExpression.Kind.TIME),
            "view.avg", new FeatureExpression.Name(7, FeatureExpression.Kind.NUMBER));

    private static Object eval(String text, Object... values) {
        return FeatureExpression.compile(text, NAMES::get).value(values);
    }

    private static final Object[] ROW = {3L, new BigDecimal("0.10"), new BigDecimal("0.20"), 0.5, "login",
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:01:29.999Z"), 2.0};

    @Test
    void exactArithmeticIsRoundedOnceWhenWrittenAndDivisionIsFloatingPoint() {
        // 0.1 + 0.2 in doubles is 0.30000000000000004; exact decimals give 0.3
        Object sum = eval("stake + won", ROW);
        assertThat(sum).isEqualTo(new BigDecimal("0.30"));
        assertThat(FeatureExpression.toFeast(sum, FeatureType.FLOAT64)).isEqualTo(FeastValue.ofDouble(0.3));
        assertThat(eval("won - stake - stake", ROW)).isEqualTo(new BigDecimal("0.00"));
        assertThat(eval("stake / bets", ROW)).isEqualTo(0.1 / 3);
        assertThat(eval("stake * ratio", ROW)).isEqualTo(0.1 * 0.5);
        assertThat(eval("bets / 0", ROW)).isNull();
        assertThat(eval("-bets + 1", ROW)).isEqualTo(new BigDecimal("-2"));
        assertThat(FeatureExpression.toFeast(eval("bets * 2", ROW), FeatureType.INT64)).isEqualTo(FeastValue.ofInt64(6));
    }

    @Test
    void nullsPropagateThroughArithmeticAndComparisonsAreFalse() {
        Object[] row = ROW.clone();
        row[2] = null;
        assertThat(eval("stake - won", row)).isNull();
        assertThat(eval("won > 1", row)).isEqualTo(false);
        assertThat(eval("won == null", row)).isEqualTo(true);
        assertThat(eval("won ?: 7", row)).isEqualTo(new BigDecimal("7"));
        assertThat(eval("coalesce(won, stake)", row)).isEqualTo(new BigDecimal("0.10"));
        assertThat(FeatureExpression.toFeast(eval("stake - won", row), FeatureType.FLOAT64)).isEqualTo(FeastValue.ofNull());
    }

    @Test
    void conditionsTimesAndFunctions() {
        assertThat(eval("state == 'login' ? seconds_between(since, now) : null", ROW)).isEqualTo(89L);
        assertThat(eval("state != 'login' && bets > 1", ROW)).isEqualTo(false);
        assertThat(eval("!(bets >= 3) || ratio < 1", ROW)).isEqualTo(true);
        assertThat(eval("abs(stake - won)", ROW)).isEqualTo(new BigDecimal("0.10"));
        assertThat(eval("sqrt(ratio * 8)", ROW)).isEqualTo(2.0);
        assertThat(eval("min(bets, view.avg)", ROW)).isEqualTo(2.0);
        assertThat(eval("max(bets, view.avg)", ROW)).isEqualTo(3L);
        assertThat(FeatureExpression.compile("since", NAMES::get).kind()).isEqualTo(FeatureExpression.Kind.TIME);
        assertThat(FeatureExpression.toFeast(ROW[5], FeatureType.UNIX_TIMESTAMP))
                .isEqualTo(FeastValue.ofUnixTimestamp(1767225600L));
    }

    @Test
    void whatCannotBeEvaluatedIsRefusedWhenCompiled() {
        String[][] cases = {
                {"colour + 1", "unknown name 'colour'"},
                {"state * 2", "'state' is a string, not a number"},
                {"bets == 'x'", "compares a number with a string"},
                {"bets > 1 ? state : 2", "gives a string or a number"},
                {"T(java.lang.Runtime).getRuntime()", "only names and view.feature names may be qualified"},
                {"{1, 2}", "is not something a feature expression evaluates"},
                {"seconds_between(bets, now)", "seconds_between takes two timestamps"},
                {"median(bets)", "unknown function 'median'"},
                {"bets +", "is not a SpEL expression"},
                {"bets && true", "'bets' is a number, not true or false"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> FeatureExpression.compile(c[0], NAMES::get)).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
        assertThat(FeatureExpression.fits(FeatureExpression.Kind.STRING, FeatureType.FLOAT64)).isFalse();
        assertThat(FeatureExpression.fits(FeatureExpression.Kind.NULL, FeatureType.STRING)).isTrue();
    }
}
