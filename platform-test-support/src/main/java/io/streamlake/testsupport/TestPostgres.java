package io.streamlake.testsupport;

import io.streamlake.core.sql.SqlIdentifier;

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

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
