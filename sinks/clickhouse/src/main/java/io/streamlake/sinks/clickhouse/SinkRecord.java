package io.streamlake.sinks.clickhouse;

/** One consumed Kafka record: where it came from and its bytes. */
public record SinkRecord(String topic, int partition, long offset, byte[] key, byte[] payload) {
}
