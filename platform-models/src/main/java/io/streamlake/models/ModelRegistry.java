package io.streamlake.models;

import com.fasterxml.jackson.core.type.TypeReference;
import io.streamlake.common.json.Json;
import io.streamlake.common.sql.SqlIdentifier;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The model registry, a PostgreSQL table: every trained model (artifact, the features it needs, threshold, metrics,
 * training and evaluation windows), one champion per name at most (a partial unique index), the others challengers
 * or retired. fraud-scorer loads the champion (and polls for a newer one). Registering is idempotent per training run (its job instance), so a
 * restarted run does not register twice. Spring-free.
 */
public final class ModelRegistry {

    /** A registered model. */
    public record Registered(long version, String name, String status, List<String> features, double threshold, String metrics,
                      byte[] artifact) {
    }

    /** A model to register. */
    public record Entry(String name, List<String> features, double threshold, String metricsJson, Instant trainFrom,
                 Instant trainTo, Instant evalFrom, Instant evalTo, byte[] artifact, long jobInstanceId) {
    }

    private final DataSource dataSource;
    private final String table;
    private final String championIndex;

    public ModelRegistry(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = SqlIdentifier.of("registry-table", table).postgres();
        this.championIndex = SqlIdentifier.of("registry-table", table + "_one_champion").postgres();
    }

    public void ensureTable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (version BIGSERIAL PRIMARY KEY, name TEXT NOT NULL,"
                    + " status TEXT NOT NULL CHECK (status IN ('champion', 'challenger', 'retired')),"
                    + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(), features JSONB NOT NULL,"
                    + " threshold DOUBLE PRECISION NOT NULL, metrics JSONB NOT NULL, train_from TIMESTAMPTZ,"
                    + " train_to TIMESTAMPTZ, eval_from TIMESTAMPTZ, eval_to TIMESTAMPTZ, artifact BYTEA NOT NULL,"
                    + " job_instance_id BIGINT UNIQUE)");
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + championIndex + " ON " + table + " (name) WHERE status = 'champion'");
        }
    }

    public Optional<Registered> champion(String name) throws SQLException {
        return one("WHERE name = ? AND status = 'champion'", name);
    }

    /** The champion's version, without its artifact (what a scorer polls to see whether a new one was promoted). */
    public Optional<Long> championVersion(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM " + table + " WHERE name = ? AND status = 'champion'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public Optional<Registered> byRun(long jobInstanceId) throws SQLException {
        return one("WHERE job_instance_id = ?", jobInstanceId);
    }

    private Optional<Registered> one(String where, Object key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, name, status, features::text, threshold, metrics::text, artifact FROM " + table + " " + where)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> features = Json.mapper().readValue(rs.getString(4), new TypeReference<List<String>>() { });
                return Optional.of(new Registered(rs.getLong(1), rs.getString(2), rs.getString(3), features, rs.getDouble(5),
                        rs.getString(6), rs.getBytes(7)));
            } catch (IOException e) {
                throw new SQLException("unreadable features of a registered model: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Registers {@code entry}: as the champion (the current one retired, in the same transaction) when
     * {@code promote}, else as a challenger. A run registered before (a restart) is left as it is.
     *
     * @return the registered model's version
     */
    public long register(Entry entry, boolean promote) throws SQLException {
        Optional<Registered> before = byRun(entry.jobInstanceId());
        if (before.isPresent()) {
            return before.get().version();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (promote) {
                    try (PreparedStatement retire = c.prepareStatement(
                            "UPDATE " + table + " SET status = 'retired' WHERE name = ? AND status = 'champion'")) {
                        retire.setString(1, entry.name());
                        retire.executeUpdate();
                    }
                }
                long version;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (name, status, features, threshold,"
                        + " metrics, train_from, train_to, eval_from, eval_to, artifact, job_instance_id)"
                        + " VALUES (?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) RETURNING version")) {
                    ps.setString(1, entry.name());
                    ps.setString(2, promote ? "champion" : "challenger");
                    ps.setString(3, Json.mapper().writeValueAsString(entry.features()));
                    ps.setDouble(4, entry.threshold());
                    ps.setString(5, entry.metricsJson());
                    ps.setTimestamp(6, Timestamp.from(entry.trainFrom()));
                    ps.setTimestamp(7, Timestamp.from(entry.trainTo()));
                    ps.setTimestamp(8, Timestamp.from(entry.evalFrom()));
                    ps.setTimestamp(9, Timestamp.from(entry.evalTo()));
                    ps.setBytes(10, entry.artifact());
                    ps.setLong(11, entry.jobInstanceId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        version = rs.getLong(1);
                    }
                }
                c.commit();
                return version;
            } catch (SQLException | IOException e) {
                c.rollback();
                throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            }
        }
    }
}
