package io.streamlake.sinks.clickhouse;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.contract.RegistryUnavailableException;
import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.PollSink;
import io.streamlake.stream.RetryLoop;
import io.streamlake.stream.WriteHealth;

import io.streamlake.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clickhouse sink on the per-poll skeleton: JSON records as they came (ClickHouse itself parses the JSON and
 * refuses what does not fit the table), Avro records as JSON rows of their writer's schema; written by
 * {@link ClickHouseBatchWriter} after the table has every column of the batch's writer schemas; rows ClickHouse
 * refused go back to the skeleton for the DLQ.
 */
final class ClickHouseSink implements PollSink<SinkRecord> {

    /** Adds a writer schema's missing columns to the table. */
    @FunctionalInterface
    interface ColumnSync {
        void addColumns(Contract writer) throws SQLException;
    }

    private final ClickHouseBatchWriter writer;
    private final AvroRows avroRows;
    private final ColumnSync columns;
    private final RetryLoop retry;
    private final WriteHealth registryHealth;
    /** Header name to column: the headers stored beside the record's fields. */
    private final Map<String, String> headerColumns;
    /** Writer schemas whose columns the table has (by identity: AvroRows makes one contract per schema). */
    private final Set<Contract> synced = ConcurrentHashMap.newKeySet();

    ClickHouseSink(ClickHouseBatchWriter writer, AvroRows avroRows, ColumnSync columns, RetryLoop retry,
                   WriteHealth registryHealth, Map<String, String> headerColumns) {
        this.headerColumns = Map.copyOf(headerColumns);
        this.writer = writer;
        this.avroRows = avroRows;
        this.columns = columns;
        this.retry = retry;
        this.registryHealth = registryHealth;
    }

    @Override
    public SinkRecord read(InboundRecord record) {
        DeadLetterPublisher.Provenance from = record.provenance();
        int partition = from.partition() == null ? -1 : from.partition();
        long offset = from.offset() == null ? -1 : from.offset();
        byte[] payload = record.payload();
        Object contentType = record.headers().get(ContractWire.CONTENT_TYPE);
        // A record whose writer schema the registry cannot give now waits for it (health DOWN) rather than going to the DLQ.
        AvroRows.Row row;
        try {
            row = avroRows.row(payload, contentType);
        } catch (RegistryUnavailableException down) {
            registryHealth.failed(down);
            row = retry.untilSuccess("reading a record's writer schema from the registry",
                    () -> avroRows.row(payload, contentType), RegistryUnavailableException.class, registryHealth);
        }
        String headerFields = headerFields(record.headers());
        if (row == null) {
            return new SinkRecord(from.topic(), partition, offset, record.key(), payload, null, payload, headerFields);
        }
        return new SinkRecord(from.topic(), partition, offset, record.key(), row.json(), row.writer(), payload, headerFields);
    }

    /** The mapped headers the record has, as JSON fields; null when it has none of them. */
    private String headerFields(Map<String, Object> headers) {
        if (headerColumns.isEmpty()) {
            return null;
        }
        StringBuilder fields = null;
        for (Map.Entry<String, String> h : headerColumns.entrySet()) {
            Object value = headers.get(h.getKey());
            String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : value == null ? null : value.toString();
            if (text == null) {
                continue;
            }
            fields = fields == null ? new StringBuilder() : fields.append(',');
            fields.append(Json.quoted(h.getValue())).append(':').append(Json.quoted(text));
        }
        return fields == null ? null : fields.toString();
    }

    @Override
    public Written write(List<SinkRecord> records) throws ClickHouseBatchWriter.TransientWriteException {
        for (SinkRecord r : records) {
            if (r.writer() != null && !synced.contains(r.writer())) {
                try {
                    columns.addColumns(r.writer()); // before any row of the schema: a new field never fails an insert
                } catch (SQLException e) {
                    throw new ClickHouseBatchWriter.TransientWriteException(e);
                }
                synced.add(r.writer());
            }
        }
        ClickHouseBatchWriter.Outcome outcome = writer.write(records);
        List<Refused> refused = new ArrayList<>(outcome.rejected().size());
        for (ClickHouseBatchWriter.Rejected r : outcome.rejected()) {
            SinkRecord s = r.record();
            refused.add(new Refused(new DeadLetterPublisher.Provenance(s.topic(), s.partition(), s.offset(), s.key()), s.received(),
                    r.message(), r.cause()));
        }
        return new Written(outcome.written(), refused);
    }

    @Override
    public Class<ClickHouseBatchWriter.TransientWriteException> unavailable() {
        return ClickHouseBatchWriter.TransientWriteException.class;
    }

    @Override
    public String describe() {
        return "records to ClickHouse";
    }
}
