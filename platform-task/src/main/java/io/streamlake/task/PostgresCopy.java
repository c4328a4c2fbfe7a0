package io.streamlake.task;

import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code COPY ... FROM STDIN} (PgJDBC's CopyManager) on the connection of the current Spring transaction, so rows
 * copied by a chunk commit or roll back with the chunk and the step's saved position.
 * Values are written in COPY's text format; {@link #row} escapes them.
 */
public final class PostgresCopy {

    private PostgresCopy() {
    }

    /** Copies {@code rows} (already in COPY text format, one per line) into {@code table (columns)}; returns rows copied. */
    public static long copy(DataSource dataSource, String table, String columns, CharSequence rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Reader in = new StringReader(rows.toString())) {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN", in);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Appends one row in COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
    public static void row(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = values.get(i);
            if (v == null) {
                out.append("\\N");
                continue;
            }
            String s = v.toString();
            for (int j = 0; j < s.length(); j++) {
                char c = s.charAt(j);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\0' -> { } // PostgreSQL text cannot hold NUL; it is dropped
                    default -> out.append(c);
                }
            }
        }
        out.append('\n');
    }
}
