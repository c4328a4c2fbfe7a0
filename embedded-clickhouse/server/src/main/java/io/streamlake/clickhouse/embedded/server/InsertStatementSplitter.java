package io.streamlake.clickhouse.embedded.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds where an {@code INSERT}'s inline data begins, so the data can go through chDB's streaming insert
 * (binary-safe) instead of {@code chdb_query_n}, which treats text like clickhouse-client input: there an
 * inline INSERT's data ends at the first blank line and whatever follows runs as SQL.
 * <p>
 * The scan reads SQL tokens only up to the data: string literals, quoted identifiers, comments and
 * parentheses are skipped, so {@code VALUES} or {@code FORMAT} inside them are not mistaken for the
 * data marker. The bytes after the marker are never decoded.
 */
public final class InsertStatementSplitter {

    /**
     * An INSERT that carries data.
     *
     * @param header     the statement up to the data marker (e.g. {@code INSERT INTO t (a, b) }), for chdb_stream_insert
     * @param format     the input format: {@code Values} after VALUES, else the name after FORMAT
     * @param dataOffset where the data starts in the scanned bytes
     */
    public record InsertWithData(byte[] header, String format, int dataOffset) {
    }

    private InsertStatementSplitter() {
    }

    /** The split of {@code sql[0, length)} if it is an INSERT with VALUES or FORMAT data, else null. */
    public static InsertWithData split(byte[] sql, int length) {
        int i = skipBlank(sql, 0, length);
        int wordEnd = wordEnd(sql, i, length);
        if (!word(sql, i, wordEnd).equals("INSERT")) {
            return null;
        }
        i = wordEnd;
        int depth = 0;
        while (true) {
            i = skipBlank(sql, i, length);
            if (i >= length) {
                return null;
            }
            byte c = sql[i];
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, length, c);
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                depth--;
                i++;
            } else if (isWordStart(c)) {
                int start = i;
                i = wordEnd(sql, i, length);
                if (depth != 0) {
                    continue;
                }
                switch (word(sql, start, i)) {
                    case "VALUES" -> {
                        return new InsertWithData(copy(sql, start), "Values", i);
                    }
                    case "FORMAT" -> {
                        int nameStart = skipBlank(sql, i, length);
                        int nameEnd = wordEnd(sql, nameStart, length);
                        if (nameEnd == nameStart) {
                            return null; // let the engine report the syntax error
                        }
                        String format = new String(sql, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
                        return new InsertWithData(copy(sql, start), format, dataStart(sql, nameEnd, length));
                    }
                    case "SELECT", "WITH" -> {
                        return null; // INSERT ... SELECT: an ordinary statement
                    }
                    default -> {
                    }
                }
            } else {
                i++;
            }
        }
    }

    /**
     * ClickHouse's rule: after the format name, data starts after the first newline if only whitespace
     * precedes it, otherwise at the first non-whitespace byte.
     */
    static int dataStart(byte[] sql, int from, int length) {
        int i = from;
        while (i < length && isSpace(sql[i])) {
            if (sql[i] == '\n') {
                return i + 1;
            }
            i++;
        }
        return i;
    }

    private static int skipBlank(byte[] sql, int i, int length) {
        while (i < length) {
            byte c = sql[i];
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < length && sql[i + 1] == '-') {
                while (i < length && sql[i] != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < length && sql[i + 1] == '*') {
                int end = i + 2;
                while (end + 1 < length && !(sql[end] == '*' && sql[end + 1] == '/')) {
                    end++;
                }
                i = Math.min(length, end + 2);
            } else {
                return i;
            }
        }
        return i;
    }

    private static int skipQuoted(byte[] sql, int i, int length, byte quote) {
        i++;
        while (i < length) {
            byte c = sql[i];
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < length && sql[i + 1] == quote) {
                    i += 2; // doubled quote inside the literal
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return length;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isWordStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static int wordEnd(byte[] sql, int i, int length) {
        if (i >= length || !isWordStart(sql[i])) {
            return i;
        }
        while (i < length && (isWordStart(sql[i]) || (sql[i] >= '0' && sql[i] <= '9'))) {
            i++;
        }
        return i;
    }

    private static String word(byte[] sql, int start, int end) {
        return new String(sql, start, end - start, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    private static byte[] copy(byte[] sql, int end) {
        byte[] header = new byte[end];
        System.arraycopy(sql, 0, header, 0, end);
        return header;
    }
}
