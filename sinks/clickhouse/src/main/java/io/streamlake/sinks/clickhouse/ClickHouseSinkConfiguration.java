package io.streamlake.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.stream.RetryLoop;
import io.streamlake.stream.StreamPolls;
import io.streamlake.stream.WriteHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The clickhouse consumer: takes a batch of records (one Kafka poll), writes it to ClickHouse and only then
 * returns, so the binder commits the batch's offsets only after ClickHouse accepted its rows. While ClickHouse
 * is unavailable it retries the same batch with backoff (health DOWN) instead of returning; rows ClickHouse
 * refuses go to the DLQ as SINK_REJECTED.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClickHouseSinkProperties.class)
public class ClickHouseSinkConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkConfiguration.class);
    /** The contract whose table comes with analytics views and the unique-id gate (CasinoEventsSchema). */
    static final String CASINO = "casino-activity";

    @Bean(destroyMethod = "close")
    Client clickHouseClient(ClickHouseSinkProperties p) {
        return new Client.Builder()
                .addEndpoint(p.getUrl())
                .setUsername(p.getUsername())
                .setPassword(p.getPassword())
                .compressServerResponse(p.isCompress())
                .setDefaultDatabase(p.getDatabase())
                .setMaxRetries(0) // the sink retries whole batches itself, with the same deduplication token
                .setSocketTimeout(p.getInsertTimeout().toMillis(), ChronoUnit.MILLIS)
                .build();
    }

    @Bean
    WriteHealth clickhouseSink(Client client) {
        return new WriteHealth("ClickHouse", () -> client.ping(2000));
    }

    @Bean
    ContractRepository contractRepository(ClickHouseSinkProperties p) {
        return ContractRepository.at(p.getContractsLocation());
    }

    @Bean
    ContractTable contractTable(ClickHouseSinkProperties p) {
        return new ContractTable(SqlIdentifier.of("clickhouse.database", p.getDatabase()),
                SqlIdentifier.of("clickhouse.table", p.getTable()));
    }

    /** Up while the schema registry answers the sink's lookups of Avro writer schemas. */
    @Bean
    WriteHealth schemaRegistry() {
        return new WriteHealth("schema registry", () -> true);
    }

    @Bean
    ClickHouseBatchWriter clickHouseBatchWriter(ClickHouseSinkProperties p, Client client, ContractRepository contracts,
                                                ContractTable contractTable) throws SQLException {
        SqlIdentifier database = SqlIdentifier.of("clickhouse.database", p.getDatabase());
        SqlIdentifier table = SqlIdentifier.of("clickhouse.table", p.getTable());
        p.getColumnMapping().forEach((field, column) -> SqlIdentifier.of("clickhouse.column-mapping." + field, column));
        p.getHeaderColumns().forEach((header, column) -> SqlIdentifier.of("clickhouse.header-columns." + header, column));
        SqlIdentifier insertInto = table;
        boolean casino = CASINO.equals(p.getContract());
        if (casino && !p.getHeaderColumns().values().stream().allMatch(CasinoEventsSchema.LABEL_COLUMN::equals)) {
            throw new IllegalArgumentException("clickhouse.header-columns: the casino table takes one header column, "
                    + CasinoEventsSchema.LABEL_COLUMN + " (its gate passes on a fixed set of columns), not "
                    + p.getHeaderColumns().values());
        }
        if (p.isBootstrapSchema() || (casino && p.isUniqueIdGate())) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(p), p.getUsername(), p.getPassword())) {
                if (p.isBootstrapSchema()) {
                    Contract contract = contracts.get(p.getContract(), p.getContractVersion());
                    if (casino) {
                        CasinoEventsSchema.bootstrap(c, database, table, p.isUniqueIdGate() ? p.getUniqueIdWindow() : null);
                        contractTable.addColumns(c, contract);
                        if (!p.getHeaderColumns().isEmpty() && !CasinoEventsSchema.gatePassesLabels(c, database, table)) {
                            log.warn("The unique-id gate of {}.{} was created before the {} column: labels stop at it"
                                    + " until it is recreated (the sink's README)", database.name(), table.name(),
                                    CasinoEventsSchema.LABEL_COLUMN);
                        }
                    } else {
                        contractTable.bootstrap(c, contract);
                        int added = contractTable.addTextColumns(c, p.getHeaderColumns().values());
                        if (added > 0) {
                            log.info("Added {} header column(s) to {}.{}", added, database.name(), table.name());
                        }
                    }
                    log.info("Table {}.{} holds the contract {}", database.name(), table.name(), contract);
                }
                // A table with the unique-id gate is written through it, by every instance, bootstrapping or not.
                try (Statement st = c.createStatement()) {
                    if (casino && p.isUniqueIdGate() && CasinoEventsSchema.exists(st,
                            database.clickHouse() + "." + CasinoEventsSchema.ingestTable(table).clickHouse())) {
                        insertInto = CasinoEventsSchema.ingestTable(table);
                    }
                }
            }
        }
        log.info("Writing to {}.{}{}", database.name(), insertInto.name(),
                insertInto.equals(table) ? "" : " (the unique event_id gate in front of " + table.name() + ")");
        String target = insertInto.name();
        long timeoutMillis = p.getInsertTimeout().toMillis();
        return new ClickHouseBatchWriter((body, token) -> {
            InsertSettings settings = new InsertSettings()
                    .setDatabase(database.name())
                    .setDeduplicationToken(token)
                    .serverSetting("input_format_skip_unknown_fields", "1")
                    .serverSetting("input_format_null_as_default", "1")
                    .serverSetting("date_time_input_format", "best_effort")
                    .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
            try (InsertResponse ignored = client.insert(target, new ByteArrayInputStream(body),
                    ClickHouseFormat.JSONEachRow, settings).get(timeoutMillis, TimeUnit.MILLISECONDS)) {
                // accepted
            }
        }, p.getColumnMapping());
    }

    static String jdbcUrl(ClickHouseSinkProperties p) {
        URI uri = URI.create(p.getUrl());
        return "jdbc:clickhouse://" + uri.getHost() + ":" + uri.getPort() + "/?compress=" + p.isCompress();
    }

    @Bean
    public Consumer<Message<List<Object>>> clickhouse(ClickHouseBatchWriter writer, WriteHealth clickhouseSink, StreamPolls polls,
                                                      ClickHouseSinkProperties p, ContractRepository contracts,
                                                      ContractTable contractTable, RetryLoop retry, WriteHealth schemaRegistry) {
        ClickHouseSink.ColumnSync columns = writerContract -> {
            try (Connection c = DriverManager.getConnection(jdbcUrl(p), p.getUsername(), p.getPassword())) {
                int added = contractTable.addColumns(c, writerContract);
                if (added > 0) {
                    log.info("Added {} column(s) of {} to {}.{}", added, writerContract, p.getDatabase(), p.getTable());
                }
            }
        };
        return polls.sink(new ClickHouseSink(writer, new AvroRows(contracts), columns, retry, schemaRegistry,
                p.getHeaderColumns()), clickhouseSink);
    }
}
