package io.streamlake.task;

import io.streamlake.common.time.UtcTimestamps;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * {@code COPY ... FROM STDIN} (PgJDBC's CopyManager) on the connection of the current Spring transaction, so rows
 * copied by a chunk commit or roll back with the chunk and the step's saved position.
 * <p>
 * Rows are written in COPY's text format straight into a buffer that goes to the server every 64 KB: PostgreSQL
 * parses and stores the first rows of a chunk while the next ones are being formatted.
 */
public final class PostgresCopy implements AutoCloseable {

    private static final int FLUSH_AT = 1 << 16;

    private final Connection connection;
    private final DataSource dataSource;
    private final String table;
    private CopyIn copy;
    private byte[] buffer = new byte[FLUSH_AT + 1024];
    private int length;
    private boolean rowStarted;
    private boolean closed;

    private PostgresCopy(DataSource dataSource, String table, String columns) {
        this.dataSource = dataSource;
        this.table = table;
        this.connection = DataSourceUtils.getConnection(dataSource);
        try {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw failed(e);
        }
    }

    /** Starts copying into {@code table (columns)}; write rows with {@link #value}/{@link #endRow}, then {@link #finish}. */
    public static PostgresCopy into(DataSource dataSource, String table, String columns) {
        return new PostgresCopy(dataSource, table, columns);
    }

    /**
     * Lets the current transaction commit without waiting for its WAL to reach disk ({@code synchronous_commit = off}
     * for this transaction only). Safe for a chunk whose rows and whose step position commit in the same transaction:
     * a PostgreSQL crash can lose the last such commits, but always both together, so the restart re-reads exactly
     * the rows that were lost. It never corrupts data; it only shortens a chunk's commit.
     */
    public static void commitWithoutWaitingForDisk(DataSource dataSource) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set synchronous_commit: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** The next column of the current row; null is {@code \N}. */
    public PostgresCopy value(Object v) {
        if (rowStarted) {
            put((byte) '\t');
        }
        rowStarted = true;
        if (v == null) {
            ascii("\\N");
        } else if (v instanceof Long || v instanceof Integer) {
            ascii(v.toString());
        } else if (v instanceof BigDecimal d) {
            ascii(d.toPlainString());
        } else if (v instanceof Instant t) {
            // the common millisecond form without a formatter; finer instants as Instant writes them (PostgreSQL rounds to µs)
            ascii(UtcTimestamps.exact(t));
        } else {
            text(v.toString());
        }
        return this;
    }

    /** Ends the current row. */
    public void endRow() {
        put((byte) '\n');
        rowStarted = false;
        if (length >= FLUSH_AT) {
            flush();
        }
    }

    /** Sends what is left and ends the COPY; returns the rows copied. */
    public long finish() {
        try {
            flush();
            long copied = copy.endCopy();
            copy = null;
            return copied;
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            close();
        }
    }

    /** Abandons the COPY if it was not finished (the transaction then rolls back); releases the connection once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the transaction fails anyway
        } finally {
            copy = null;
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private void flush() {
        if (length == 0) {
            return;
        }
        try {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private IllegalStateException failed(SQLException e) {
        return new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
    }

    private void put(byte b) {
        if (length == buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length++] = b;
    }

    /** Text known to need no escaping (numbers, timestamps). */
    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    /** Any text, escaped for COPY; UTF-8 from its first non-ASCII character on. */
    private void text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                StringBuilder rest = new StringBuilder(s.length() - i + 8);
                for (int j = i; j < s.length(); j++) {
                    char r = s.charAt(j);
                    String escaped = escape(r);
                    if (escaped == null) {
                        rest.append(r);
                    } else {
                        rest.append(escaped);
                    }
                }
                byte[] utf8 = rest.toString().getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buffer, length, utf8.length);
                length += utf8.length;
                return;
            }
            String escaped = escape(c);
            if (escaped == null) {
                put((byte) c);
            } else {
                ascii(escaped);
            }
        }
    }

    /** COPY's escape for a character, or null when it stands for itself; NUL, which text cannot hold, is dropped. */
    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\0' -> "";
            default -> null;
        };
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
