package io.streamlake.sinks.clickhouse;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings of the clickhouse sink. */
@ConfigurationProperties("clickhouse")
public class ClickHouseSinkProperties {

    /** ClickHouse HTTP endpoint, e.g. http://127.0.0.1:8123 (the embedded ClickHouse) or a real server. */
    private String url = "http://127.0.0.1:8123";

    /** Database to write to; a plain identifier. */
    private String database = "streamlake";

    /** Table to write to; a plain identifier. Records' fields map to its columns by name. */
    private String table = "casino_events";

    /**
     * The event contract of the records (casino-activity, orders, user-interaction ...): bootstrap-schema creates the
     * table from it (casino-activity: with its analytics views and unique-id gate), and Avro records are read with it.
     */
    private String contract = "casino-activity";

    /** The contract's version in the schema registry; 0 takes the latest. */
    private int contractVersion = 0;

    /**
     * Where contracts and Avro writer schemas are read: a schema registry's URL (http://host:8990), a directory of
     * subject.avsc files, or empty for the contracts shipped in the app.
     */
    private String contractsLocation = "";

    /** ClickHouse user. */
    private String username = "default";

    /** ClickHouse password. */
    private String password = "";

    /** Compress HTTP responses (ClickHouse's LZ4 framing); must be false for the embedded ClickHouse. */
    private boolean compress = false;

    /**
     * Create the database and the contract's table on start (IF NOT EXISTS), and add the columns of fields the table
     * lacks (a newer contract version's); for casino-activity also its materialized views.
     */
    private boolean bootstrapSchema = true;

    /**
     * casino-activity only: write through the casino schema's unique event_id gate: a copy of an id already stored (within unique-id-window)
     * never becomes a second row or a second count in the views, whatever its other fields say. Bootstrap creates the
     * gate when true, and the sink then looks for it at start (so ClickHouse must answer then). It costs about 40% of
     * the insert rate (BENCHMARKS.md); false writes straight to the table, where only identical sorting keys are merged.
     */
    private boolean uniqueIdGate = true;

    /** How long the gate remembers an event_id; set when its id table is created (bootstrap-schema). */
    private Duration uniqueIdWindow = Duration.ofDays(35);

    /** Most records per insert (Kafka max.poll.records): a batch is flushed when it is this big... */
    private int batchSize = 10_000;

    /** ...or when this many milliseconds have passed waiting for more (Kafka fetch.max.wait.ms). */
    private int maxBatchWaitMs = 500;

    /** JSON field to column renames, e.g. clickhouse.column-mapping.ts=event_time; unlisted fields map by name. */
    private Map<String, String> columnMapping = new LinkedHashMap<>();

    /** Time limit for one insert request. */
    private Duration insertTimeout = Duration.ofSeconds(60);

    /**
     * Record headers to store as text columns, header name to column, e.g. x-ground-truth to ground_truth (the
     * simulator's labels, for model training; the casino table has that column and no other).
     */
    private Map<String, String> headerColumns = new LinkedHashMap<>();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getContract() {
        return contract;
    }

    public void setContract(String contract) {
        this.contract = contract;
    }

    public int getContractVersion() {
        return contractVersion;
    }

    public void setContractVersion(int contractVersion) {
        this.contractVersion = contractVersion;
    }

    public String getContractsLocation() {
        return contractsLocation;
    }

    public void setContractsLocation(String contractsLocation) {
        this.contractsLocation = contractsLocation;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isCompress() {
        return compress;
    }

    public void setCompress(boolean compress) {
        this.compress = compress;
    }

    public boolean isUniqueIdGate() {
        return uniqueIdGate;
    }

    public void setUniqueIdGate(boolean uniqueIdGate) {
        this.uniqueIdGate = uniqueIdGate;
    }

    public Duration getUniqueIdWindow() {
        return uniqueIdWindow;
    }

    public void setUniqueIdWindow(Duration uniqueIdWindow) {
        this.uniqueIdWindow = uniqueIdWindow;
    }

    public boolean isBootstrapSchema() {
        return bootstrapSchema;
    }

    public void setBootstrapSchema(boolean bootstrapSchema) {
        this.bootstrapSchema = bootstrapSchema;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxBatchWaitMs() {
        return maxBatchWaitMs;
    }

    public void setMaxBatchWaitMs(int maxBatchWaitMs) {
        this.maxBatchWaitMs = maxBatchWaitMs;
    }

    public Map<String, String> getColumnMapping() {
        return columnMapping;
    }

    public void setColumnMapping(Map<String, String> columnMapping) {
        this.columnMapping = columnMapping;
    }

    public Map<String, String> getHeaderColumns() {
        return headerColumns;
    }

    public void setHeaderColumns(Map<String, String> headerColumns) {
        this.headerColumns = headerColumns;
    }


    public Duration getInsertTimeout() {
        return insertTimeout;
    }

    public void setInsertTimeout(Duration insertTimeout) {
        this.insertTimeout = insertTimeout;
    }
}
