package io.streamlake.stream;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

import java.util.List;
import java.util.Map;

/**
 * One Kafka poll as a batch-mode binding delivers it ({@code Message<List<Object>>} with native decoding):
 * each record's bytes (null for an empty record or tombstone), where it came from, and its own headers.
 */
public final class KafkaBatch {

    private final List<Object> payloads;
    private final List<?> topics;
    private final List<?> partitions;
    private final List<?> offsets;
    private final List<?> keys;
    private final List<?> recordHeaders;

    public KafkaBatch(Message<List<Object>> batch) {
        this.payloads = batch.getPayload();
        this.topics = list(batch, KafkaHeaders.RECEIVED_TOPIC);
        this.partitions = list(batch, KafkaHeaders.RECEIVED_PARTITION);
        this.offsets = list(batch, KafkaHeaders.OFFSET);
        this.keys = list(batch, KafkaHeaders.RECEIVED_KEY);
        this.recordHeaders = list(batch, KafkaHeaders.BATCH_CONVERTED_HEADERS);
    }

    public int size() {
        return payloads.size();
    }

    /** The record's bytes, or null when it had none (a tombstone arrives as KafkaNull). */
    public byte[] payload(int i) {
        Object p = payloads.get(i);
        return p instanceof byte[] bytes && bytes.length > 0 ? bytes : null;
    }

    /** The record's key bytes, or null. */
    public byte[] key(int i) {
        return at(keys, i) instanceof byte[] k ? k : null;
    }

    public DeadLetterPublisher.Provenance provenance(int i) {
        Object topic = at(topics, i);
        return new DeadLetterPublisher.Provenance(topic == null ? null : topic.toString(), integer(at(partitions, i)),
                along(at(offsets, i)), key(i));
    }

    /** The record's own headers, as the binder converted them. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> headers(int i) {
        return at(recordHeaders, i) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Message<?> batch, String header) {
        Object value = batch.getHeaders().get(header);
        return value instanceof List<?> l ? l : List.of();
    }

    private static Object at(List<?> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }

    private static Integer integer(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static Long along(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
