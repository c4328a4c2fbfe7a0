package io.streamlake.common.sql;

/** A string value spliced into SQL as a quoted literal, escaped for the dialect that reads it. */
public final class SqlLiteral {

    private SqlLiteral() {
    }

    /** ClickHouse: backslash escapes, so both the backslash and the quote are escaped. */
    public static String clickHouse(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** PostgreSQL (standard_conforming_strings on): a quote is doubled, a backslash is an ordinary character. */
    public static String postgres(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
