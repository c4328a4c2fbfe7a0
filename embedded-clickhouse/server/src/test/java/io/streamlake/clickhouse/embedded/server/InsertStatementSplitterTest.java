package io.streamlake.clickhouse.embedded.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InsertStatementSplitterTest {

    private static InsertStatementSplitter.InsertWithData split(String sql) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        return InsertStatementSplitter.split(bytes, bytes.length);
    }

    private static String data(String sql) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        InsertStatementSplitter.InsertWithData s = InsertStatementSplitter.split(bytes, bytes.length);
        return new String(bytes, s.dataOffset(), bytes.length - s.dataOffset(), StandardCharsets.UTF_8);
    }

    @Test
    void valuesDataStartsAfterTheKeyword() {
        var s = split("INSERT INTO db.t (a, b) VALUES (1, 'x'), (2, 'y')");
        assertThat(new String(s.header(), StandardCharsets.UTF_8)).isEqualTo("INSERT INTO db.t (a, b) ");
        assertThat(s.format()).isEqualTo("Values");
        assertThat(data("INSERT INTO db.t (a, b) VALUES (1, 'x'), (2, 'y')")).isEqualTo(" (1, 'x'), (2, 'y')");
    }

    @Test
    void formatDataStartsAfterTheFirstNewline() {
        var s = split("insert into t settings async_insert = 0 format RowBinary\n\n\u0000rest");
        assertThat(s.format()).isEqualTo("RowBinary");
        assertThat(new String(s.header(), StandardCharsets.UTF_8)).isEqualTo("insert into t settings async_insert = 0 ");
        // Only the first newline belongs to the statement: the blank line is data.
        assertThat(data("insert into t format RowBinary\n\n\u0000rest")).isEqualTo("\n\u0000rest");
        assertThat(data("INSERT INTO t FORMAT CSV   1,2\n")).isEqualTo("1,2\n");
        assertThat(data("INSERT INTO t FORMAT TSV \t\r\n1\t2")).isEqualTo("1\t2");
    }

    @Test
    void keywordsInsideLiteralsParenthesesAndCommentsAreNotMarkers() {
        var s = split("INSERT INTO `values` (`format`, \"values\") /* VALUES */ -- FORMAT x\n FORMAT JSONEachRow\n{}");
        assertThat(s.format()).isEqualTo("JSONEachRow");
        s = split("INSERT INTO FUNCTION file('out VALUES.csv', 'CSV', 'a String') VALUES ('x')");
        assertThat(s.format()).isEqualTo("Values");
        assertThat(new String(s.header(), StandardCharsets.UTF_8))
                .isEqualTo("INSERT INTO FUNCTION file('out VALUES.csv', 'CSV', 'a String') ");
        s = split("INSERT INTO t SETTINGS format_csv_delimiter = ';', x = 'it''s FORMAT' FORMAT CSV\na;b");
        assertThat(s.format()).isEqualTo("CSV");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "INSERT INTO t SELECT * FROM s",
            "INSERT INTO t (a) WITH 1 AS x SELECT x",
            "  -- comment\n SELECT 'INSERT INTO t VALUES (1)'",
            "INSERT INTO t",
            "CREATE TABLE insert_values (a UInt8) ENGINE = Memory"})
    void statementsWithoutInsertDataAreNotSplit(String sql) {
        assertThat(split(sql)).isNull();
    }

    @Test
    void leadingCommentsAndWhitespaceAreAllowed() {
        assertThat(split("\n  /* load */ -- x\n INSERT INTO t VALUES (1)").format()).isEqualTo("Values");
    }

    @Test
    void httpStatusesFollowClickHouse() {
        assertThat(ClickHouseHttpHandler.httpStatus(62)).isEqualTo(400);
        assertThat(ClickHouseHttpHandler.httpStatus(60)).isEqualTo(404);
        assertThat(ClickHouseHttpHandler.httpStatus(81)).isEqualTo(404);
        assertThat(ClickHouseHttpHandler.httpStatus(241)).isEqualTo(500);
    }

    @Test
    void queryStringsAreUrlDecoded() {
        assertThat(ClickHouseHttpHandler.parseQueryString("query=SELECT%201%2B1&database=db&param_x=a%20b&flag"))
                .containsEntry("query", "SELECT 1+1")
                .containsEntry("database", "db")
                .containsEntry("param_x", "a b")
                .containsEntry("flag", "");
    }

    @Test
    void errorCodesAreReadFromEngineMessages() {
        assertThat(ChdbException.codeOf("Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE)")).isEqualTo(60);
        assertThat(ChdbException.codeOf("something odd")).isEqualTo(1001);
    }
}
