package io.streamlake.tasks.quality;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QualitySuiteLoaderTest {

    private static final String HEAD = "dataset: d\nsource: postgres\ntable: s.t\nexpectations:\n";

    @Test
    void readsEveryExpectationTypeWithItsParametersAndWhereItWasDeclared() {
        QualitySuite suite = QualitySuiteLoader.parse("s.yaml", new StringReader(HEAD
                + "  - {type: not_null, column: a}\n"
                + "  - {type: unique, columns: [a, b], severity: warn}\n"
                + "  - {type: accepted_values, column: c, values: [x, 'y z']}\n"
                + "  - {type: range, column: n, min: 0, max: 10.5}\n"
                + "  - {type: regex, column: c, pattern: '^[A-Z]{3}$'}\n"
                + "  - {type: row_count_between, min: 1, max: 100}\n"
                + "  - {type: freshness, column: ts, max_age: 2h}\n"
                + "  - {type: referential_integrity, column: g, references: {table: s.dim, column: id}}\n"
                + "  - {type: custom_sql, name: no_big_wins, sql: 'SELECT * FROM s.t WHERE win > bet * 1000;'}\n"));
        assertThat(suite.expectations()).extracting(Expectation::name).containsExactly("not_null(a)", "unique(a, b)",
                "accepted_values(c)", "range(n)", "regex(c)", "row_count_between", "freshness(ts)", "referential_integrity(g)",
                "no_big_wins");
        assertThat(suite.expectations().get(1).severity()).isEqualTo(Expectation.Severity.WARN);
        assertThat(suite.expectations().get(2).values()).containsExactly("x", "y z");
        assertThat(suite.expectations().get(3).max()).isEqualByComparingTo("10.5");
        assertThat(suite.expectations().get(6).maxAge()).hasHours(2);
        assertThat(suite.expectations().get(7).referencedTable()).isEqualTo("s.dim");
        assertThat(suite.expectations().get(8).sql()).isEqualTo("SELECT * FROM s.t WHERE win > bet * 1000");
        assertThat(suite.expectations().get(4).declaredAt()).isEqualTo("s.yaml:9");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  - {type: not_nul, column: a}|s.yaml:5: unknown expectation type 'not_nul'",
            "  - {type: not_null}|s.yaml:5: not_null needs 'column'",
            "  - {type: not_null, column: a, values: [x]}|s.yaml:5: unknown key 'values' in a not_null expectation",
            "  - {type: range, column: a}|s.yaml:5: range needs 'min', 'max' or both",
            "  - {type: range, column: a, min: ten}|s.yaml:5: 'ten' is not a number",
            "  - {type: regex, column: a, pattern: '(['}|s.yaml:5: pattern is not a valid regular expression",
            "  - {type: freshness, column: a, max_age: soon}|s.yaml:5: 'soon' is not a duration",
            "  - {type: custom_sql, sql: SELECT 1}|s.yaml:5: custom_sql needs a 'name'",
            "  - {type: not_null, column: a, severity: fatal}|s.yaml:5: severity must be warn or error"})
    void badDeclarationsNameFileLineAndProblem(String expectation, String message) {
        assertThatThrownBy(() -> QualitySuiteLoader.parse("s.yaml", new StringReader(HEAD + expectation)))
                .isInstanceOf(QualityDefinitionException.class).hasMessageStartingWith(message);
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> QualitySuiteLoader.parse("bad.yaml", new StringReader(HEAD + "  - {type: not_null, column: a\n")))
                .isInstanceOf(QualityDefinitionException.class).hasMessageStartingWith("bad.yaml:6: malformed YAML");
        assertThatThrownBy(() -> QualitySuiteLoader.parse("empty.yaml", new StringReader("")))
                .hasMessage("empty.yaml: the file is empty");
        assertThatThrownBy(() -> QualitySuiteLoader.parse("s.yaml", new StringReader("dataset: d\nsource: oracle\ntable: t\n"
                + "expectations: []\n"))).hasMessage("s.yaml:2: source must be postgres or clickhouse");
    }

    @Test
    void theShippedCasinoSuitesAreWellFormed() throws Exception {
        for (String name : new String[]{"casino-events.yaml", "warehouse-fact-activity.yaml"}) {
            try (var in = getClass().getResourceAsStream("/quality/" + name)) {
                QualitySuite suite = QualitySuiteLoader.parse(name, new InputStreamReader(in, StandardCharsets.UTF_8));
                assertThat(suite.expectations()).isNotEmpty();
            }
        }
    }
}
