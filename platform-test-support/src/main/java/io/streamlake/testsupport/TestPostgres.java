package io.streamlake.testsupport;

import io.streamlake.common.sql.SqlIdentifier;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth), overridable with {@code STREAMLAKE_PG_URL},
 * {@code STREAMLAKE_PG_USER} and {@code STREAMLAKE_PG_PASSWORD}. Tests isolate themselves in a schema of
 * their own ({@link #createSchema(String)}) and drop it when done.
 */
public final class TestPostgres {

    private TestPostgres() {
    }

    public static String jdbcUrl() {
        return env("STREAMLAKE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    public static String user() {
        return env("STREAMLAKE_PG_USER", "postgres");
    }

    public static String password() {
        return env("STREAMLAKE_PG_PASSWORD", "");
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** A JDBC URL whose connections start in {@code schema} (PgJDBC's currentSchema). */
    public static String jdbcUrl(String schema) {
        String base = jdbcUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + SqlIdentifier.of("schema", schema).name();
    }

    /** Creates a schema no other test uses and returns its name. */
    public static String createSchema(String prefix) {
        String schema = UniqueNames.next(prefix);
        execute("CREATE SCHEMA " + SqlIdentifier.of("schema", schema).postgres());
        return schema;
    }

    public static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + SqlIdentifier.of("schema", schema).postgres() + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl() + " failed: " + sql + " (is it running? "
                    + ".ci/run starts it)", e);
        }
    }

    /**
     * The rows of a query as {@code col1|col2|...} strings (SQL NULL as "null"), with the session in UTC so timestamps
     * read the same on every machine: what tests compare exact results with.
     */
    public static java.util.List<String> rows(String sql) throws SQLException {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            try (java.sql.ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    /** Runs statements in one session (test fixtures). */
    public static void run(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
