package io.streamlake.sinks.clickhouse;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.common.sql.SqlLiteral;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractField;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ClickHouse table made from an event contract, and kept up with it: no Spring in here.
 * <ul>
 *   <li>Columns: one per field, Avro types mapped to ClickHouse's ({@code string} String, LowCardinality(String) when
 *       the contract lists its values; {@code uuid} UUID; {@code timestamp-millis} DateTime64(3, 'UTC');
 *       {@code decimal(p, s)} Decimal(p, s); int Int32; long Int64; double Float64; boolean Bool), optional fields
 *       Nullable, plus {@code ingested_at}.</li>
 *   <li>Layout from the contract's {@code clickhouse} property: {@code engine} (MergeTree by default;
 *       ReplacingMergeTree collapses re-delivered records with the same sorting key), {@code order-by} (by default
 *       the key and the event time) and {@code partition-by}. Inserts carry deduplication tokens, so the table keeps
 *       a deduplication window.</li>
 *   <li>Evolution: a field a newer contract version adds becomes {@code ALTER TABLE ... ADD COLUMN} (Nullable, or
 *       with the field's default), before any row that has it is inserted, so a new optional field is never a failed
 *       insert. Columns are never dropped or retyped by the sink: a removed field's column keeps its old rows and
 *       takes defaults.</li>
 * </ul>
 */
public final class ContractTable {

    private final SqlIdentifier database;
    private final SqlIdentifier table;

    public ContractTable(SqlIdentifier database, SqlIdentifier table) {
        this.database = database;
        this.table = table;
    }

    private String qualified() {
        return database.clickHouse() + "." + table.clickHouse();
    }

    /** The statements that create the database and the table of {@code contract} if they do not exist. */
    public List<String> create(Contract contract) {
        List<String> columns = new ArrayList<>();
        for (ContractField f : contract.fields()) {
            columns.add(SqlIdentifier.of("field", f.name()).clickHouse() + " " + columnType(f) + defaultClause(f));
        }
        columns.add("ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)");
        Map<String, Object> layout = contract.clickhouse();
        String engine = layout.getOrDefault("engine", "MergeTree").toString();
        if (!engine.matches("(Replacing|Summing|Aggregating)?MergeTree")) {
            throw new IllegalArgumentException(contract.subject() + ": clickhouse.engine " + engine
                    + " is not one of MergeTree, ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree");
        }
        List<String> orderBy = new ArrayList<>();
        if (layout.get("order-by") instanceof List<?> names) {
            names.forEach(n -> orderBy.add(sortColumn(contract, n.toString())));
        } else {
            if (contract.key() != null) {
                orderBy.add(sortColumn(contract, contract.key().name()));
            }
            if (contract.eventTime() != null) {
                orderBy.add(sortColumn(contract, contract.eventTime().name()));
            }
        }
        String partitionBy = layout.get("partition-by") == null ? "" : " PARTITION BY " + layout.get("partition-by");
        return List.of("CREATE DATABASE IF NOT EXISTS " + database.clickHouse(),
                "CREATE TABLE IF NOT EXISTS " + qualified() + " (" + String.join(", ", columns) + ") ENGINE = " + engine
                        + partitionBy + " ORDER BY (" + String.join(", ", orderBy) + ")"
                        + " SETTINGS non_replicated_deduplication_window = 10000");
    }

    /** The {@code ALTER TABLE ... ADD COLUMN} statements for the fields of {@code contract} the table lacks. */
    public List<String> addMissing(Contract contract, Set<String> existingColumns) {
        List<String> statements = new ArrayList<>();
        for (ContractField f : contract.fields()) {
            if (!existingColumns.contains(f.name())) {
                String type = f.optional() && f.defaultValue() == null ? columnType(f) : baseType(f);
                statements.add("ALTER TABLE " + qualified() + " ADD COLUMN IF NOT EXISTS "
                        + SqlIdentifier.of("field", f.name()).clickHouse() + " " + type + defaultClause(f));
            }
        }
        return statements;
    }

    /** Creates the table if it is missing, then adds the columns {@code contract} has and the table lacks. */
    public void bootstrap(Connection connection, Contract contract) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : create(contract)) {
                st.execute(sql);
            }
        }
        addColumns(connection, contract);
    }

    /** Adds the columns {@code contract} (e.g. a record's newer writer schema) has and the table lacks; returns how many. */
    public int addColumns(Connection connection, Contract contract) throws SQLException {
        List<String> alter = addMissing(contract, columns(connection));
        try (Statement st = connection.createStatement()) {
            for (String sql : alter) {
                st.execute(sql);
            }
        }
        return alter.size();
    }

    /** Adds the text columns (record headers stored beside the fields) the table lacks; returns how many. */
    public int addTextColumns(Connection connection, java.util.Collection<String> names) throws SQLException {
        Set<String> existing = columns(connection);
        int added = 0;
        try (Statement st = connection.createStatement()) {
            for (String name : names) {
                if (!existing.contains(name)) {
                    st.execute("ALTER TABLE " + database.clickHouse() + "." + table.clickHouse() + " ADD COLUMN IF NOT EXISTS "
                            + SqlIdentifier.of("column", name).clickHouse() + " LowCardinality(String) DEFAULT ''");
                    added++;
                }
            }
        }
        return added;
    }

    /** The table's column names. */
    public Set<String> columns(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT name FROM system.columns WHERE database = ? AND table = ? ORDER BY position")) {
            ps.setString(1, database.name());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static String sortColumn(Contract contract, String name) {
        ContractField f = contract.field(name);
        if (f == null) {
            throw new IllegalArgumentException(contract.subject() + ": clickhouse.order-by names no field '" + name + "'");
        }
        if (f.optional() && f.defaultValue() == null) {
            throw new IllegalArgumentException(contract.subject() + ": clickhouse.order-by field " + name
                    + " is optional; a sorting key column cannot be Nullable");
        }
        return SqlIdentifier.of("field", name).clickHouse();
    }

    /** The column type of a field: Nullable when it may be absent without a default. */
    static String columnType(ContractField f) {
        String base = baseType(f);
        if (!f.optional() || f.defaultValue() != null) {
            return base;
        }
        return base.startsWith("LowCardinality(") ? "LowCardinality(Nullable(String))" : "Nullable(" + base + ")";
    }

    static String baseType(ContractField f) {
        return switch (f.type()) {
            case STRING -> f.enumValues() != null || f.enumParameter() != null ? "LowCardinality(String)" : "String";
            case UUID -> "UUID";
            case TIMESTAMP_MILLIS -> "DateTime64(3, 'UTC')";
            case DECIMAL -> "Decimal(" + f.precision() + ", " + f.scale() + ")";
            case INT -> "Int32";
            case LONG -> "Int64";
            case DOUBLE -> "Float64";
            case BOOLEAN -> "Bool";
        };
    }

    private static String defaultClause(ContractField f) {
        Object d = f.defaultValue();
        if (d == null) {
            return "";
        }
        if (f.type() == io.streamlake.core.contract.FieldType.TIMESTAMP_MILLIS) {
            return " DEFAULT fromUnixTimestamp64Milli(toInt64(" + d + "), 'UTC')";
        }
        if (d instanceof Number n) {
            return " DEFAULT " + (n instanceof BigDecimal b ? b.toPlainString() : n.toString());
        }
        if (d instanceof Boolean b) {
            return " DEFAULT " + b;
        }
        return " DEFAULT " + SqlLiteral.clickHouse(d.toString());
    }
}
