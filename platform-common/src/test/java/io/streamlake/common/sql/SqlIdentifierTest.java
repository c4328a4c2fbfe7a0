package io.streamlake.common.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlIdentifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"events", "casino_events_v2", "_staging", "A1"})
    void plainNamesPassAndAreQuoted(String name) {
        SqlIdentifier id = SqlIdentifier.of("clickhouse.table", name);
        assertThat(id.clickHouse()).isEqualTo("`" + name + "`");
        assertThat(id.postgres()).isEqualTo("\"" + name + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1st", "events; DROP TABLE x", "a`b", "a\"b", "db.table", "tab le", "ünïcode",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void anythingElseIsRejectedNamingTheProperty(String name) {
        assertThatThrownBy(() -> SqlIdentifier.of("clickhouse.table", name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clickhouse.table")
                .hasMessageContaining("'" + name + "'");
        assertThat(SqlIdentifier.isValid(name)).isFalse();
    }
}
