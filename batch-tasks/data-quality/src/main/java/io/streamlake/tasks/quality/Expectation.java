package io.streamlake.tasks.quality;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * One declared expectation of a suite, with where it was declared ({@code file:line}) for messages and reports.
 * Which of the optional fields are set depends on the type.
 */
public record Expectation(Type type, String name, Severity severity, List<String> columns, List<String> values,
                          BigDecimal min, BigDecimal max, String pattern, Duration maxAge, String referencedTable,
                          String referencedColumn, String sql, String declaredAt) {

    /** The expectation types a suite may declare. */
    public enum Type {
        NOT_NULL, UNIQUE, ACCEPTED_VALUES, RANGE, REGEX, ROW_COUNT_BETWEEN, FRESHNESS, REFERENTIAL_INTEGRITY, CUSTOM_SQL;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a failure means: {@code error} fails the task (exit code 2), {@code warn} is reported only. */
    public enum Severity { WARN, ERROR }

    public String column() {
        return columns.isEmpty() ? null : columns.get(0);
    }
}
