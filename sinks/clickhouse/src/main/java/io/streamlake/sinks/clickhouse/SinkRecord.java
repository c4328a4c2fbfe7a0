package io.streamlake.sinks.clickhouse;

import io.streamlake.core.contract.Contract;

/**
 * One consumed Kafka record: where it came from, the JSON row to insert, and for an Avro record the contract of its
 * writer schema (its fields become columns) and the bytes as received (what the DLQ keeps if ClickHouse refuses it);
 * {@code headerFields}, when not null, is the JSON of the record's mapped headers as further fields of the row
 * ({@code "ground_truth":"normal"}, no braces).
 */
public record SinkRecord(String topic, int partition, long offset, byte[] key, byte[] payload, Contract writer,
                         byte[] received, String headerFields) {

    /** A JSON record, inserted as it came. */
    public SinkRecord(String topic, int partition, long offset, byte[] key, byte[] payload) {
        this(topic, partition, offset, key, payload, null, payload, null);
    }
}
