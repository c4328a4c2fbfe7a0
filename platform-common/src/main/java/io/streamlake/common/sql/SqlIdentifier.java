package io.streamlake.common.sql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A database, schema, table or column name that came from configuration and will be spliced into SQL.
 * Only plain identifiers pass ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 63 characters, the PostgreSQL
 * limit), so a property can never smuggle SQL into a statement; quoting is applied on top anyway.
 */
public final class SqlIdentifier {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String name;

    private SqlIdentifier(String name) {
        this.name = name;
    }

    /**
     * Validates a name.
     *
     * @param what what the name is for, used in the error (e.g. "clickhouse.table")
     * @throws IllegalArgumentException naming the property and the offending value
     */
    public static SqlIdentifier of(String what, String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier (letters, digits and '_',"
                    + " not starting with a digit, at most 63 characters), but was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return new SqlIdentifier(name);
    }

    public static boolean isValid(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    public String name() {
        return name;
    }

    /** ClickHouse quoting: {@code `name`}. */
    public String clickHouse() {
        return "`" + name + "`";
    }

    /** PostgreSQL quoting: {@code "name"} (case preserved). */
    public String postgres() {
        return "\"" + name + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlIdentifier other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
