package io.streamlake.testsupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads what apps wrote to a topic of the test broker, from the beginning. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Polls until {@code expected} records arrived or {@code timeout} passed, then returns what it has. */
    public static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaTestBroker.consumerProperties(
                UniqueNames.next("reader")))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * The sum of the topic's end offsets: the records written to it when no producer used transactions (their markers
     * take offsets too); 0 for a topic that does not exist.
     */
    public static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaTestBroker.consumerProperties(UniqueNames.next("offsets")))) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A header's value as UTF-8 text, or null when absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
