package io.streamlake.stream;

import io.streamlake.core.event.RejectionReason;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sends a rejected record to the app's dead-letter topic with the reason in headers, and counts it. The
 * payload travels as the original bytes (cut to {@code streamlake.dlq.max-payload-bytes}), the original
 * key is kept, and the original topic/partition/offset come from the consumed message's headers.
 */
public class DeadLetterPublisher {

    private final StreamBridge bridge;
    private final DeadLetterProperties properties;
    private final RecordMetrics metrics;
    private final String app;
    private final DeadLetterRate rate;

    public DeadLetterPublisher(StreamBridge bridge, DeadLetterProperties properties, RecordMetrics metrics, String app) {
        this.bridge = bridge;
        this.properties = properties;
        this.metrics = metrics;
        this.app = app;
        this.rate = new DeadLetterRate(properties.getAlertThreshold(), properties.getAlertWindow(), properties.getAlertQuiet(),
                java.time.Clock.systemUTC());
    }

    /** Where a consumed record came from; any part may be null when unknown. */
    public record Provenance(String topic, Integer partition, Long offset, Object key) {

        /** Reads the provenance a Kafka binder puts on a consumed (non-batch) message. */
        public static Provenance of(Message<?> consumed) {
            if (consumed == null) {
                return new Provenance(null, null, null, null);
            }
            MessageHeaders h = consumed.getHeaders();
            return new Provenance(h.get(KafkaHeaders.RECEIVED_TOPIC, String.class),
                    h.get(KafkaHeaders.RECEIVED_PARTITION, Integer.class), h.get(KafkaHeaders.OFFSET, Long.class),
                    h.get(KafkaHeaders.RECEIVED_KEY));
        }
    }

    /**
     * @param original the consumed message (for key and provenance headers); may carry any payload
     * @param payload  the record's bytes as received (null or empty for an empty record)
     */
    public void reject(Message<?> original, byte[] payload, RejectionReason reason, String detail, Throwable cause) {
        reject(Provenance.of(original), payload, reason, detail, cause);
    }

    /** As {@link #reject(Message, byte[], RejectionReason, String, Throwable)}, for one record of a batch. */
    public void reject(Provenance from, byte[] payload, RejectionReason reason, String detail, Throwable cause) {
        byte[] body = payload == null ? new byte[0] : payload;
        boolean truncated = body.length > properties.getMaxPayloadBytes();
        MessageBuilder<byte[]> dead = MessageBuilder
                .withPayload(truncated ? Arrays.copyOf(body, properties.getMaxPayloadBytes()) : body)
                .setHeader(DeadLetterHeaders.REASON, utf8(reason.name()))
                .setHeader(DeadLetterHeaders.DETAIL, utf8(detail == null ? "" : detail))
                .setHeader(DeadLetterHeaders.APP, utf8(app))
                .setHeader(DeadLetterHeaders.ORIGINAL_SIZE, utf8(Integer.toString(body.length)))
                .setHeader(MessageHeaders.CONTENT_TYPE, "application/octet-stream");
        if (truncated) {
            dead.setHeader(DeadLetterHeaders.PAYLOAD_TRUNCATED, utf8("true"));
        }
        if (cause != null) {
            dead.setHeader(DeadLetterHeaders.EXCEPTION_CLASS, utf8(cause.getClass().getName()));
        }
        set(dead, DeadLetterHeaders.ORIGINAL_TOPIC, from.topic());
        set(dead, DeadLetterHeaders.ORIGINAL_PARTITION, from.partition());
        set(dead, DeadLetterHeaders.ORIGINAL_OFFSET, from.offset());
        if (from.key() != null) {
            dead.setHeader(KafkaHeaders.KEY, from.key());
        }
        if (!bridge.send(properties.getDestination(), dead.build())) {
            throw new IllegalStateException("could not hand a rejected record to the DLQ " + properties.getDestination());
        }
        metrics.rejected(reason);
        if (rate.record()) {
            alertRate(reason, detail);
        }
    }

    /** The DLQ's rate crossed the threshold: an operational alert, keyed by app and DLQ, for the alert sink. */
    private void alertRate(RejectionReason reason, String detail) {
        long count = rate.count();
        String window = properties.getAlertWindow().toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        com.fasterxml.jackson.databind.node.ObjectNode details = io.streamlake.common.json.Json.mapper().createObjectNode();
        details.put("dlq", properties.getDestination());
        details.put("records", count);
        details.put("threshold", properties.getAlertThreshold());
        details.put("window_seconds", properties.getAlertWindow().toSeconds());
        details.put("latest_detail", detail == null ? "" : detail);
        io.streamlake.core.alert.Alert alert = new io.streamlake.core.alert.Alert(
                "dlq_rate:" + app + ":" + java.util.UUID.randomUUID(), "dlq_rate", io.streamlake.core.alert.Alert.Severity.WARNING,
                app + ":" + properties.getDestination(), app + ": " + count + " records to the DLQ in " + window,
                app + " sent " + count + " records to " + properties.getDestination() + " within " + window + " (threshold "
                        + properties.getAlertThreshold() + "); the latest: " + reason + (detail == null ? "" : " (" + detail + ")"),
                app, java.time.Instant.now(), null, java.util.List.of(reason.name()), details);
        if (!bridge.send(properties.getAlertTopic(), MessageBuilder.withPayload(alert.toJson())
                .setHeader(KafkaHeaders.KEY, utf8(alert.key())).build())) {
            org.slf4j.LoggerFactory.getLogger(DeadLetterPublisher.class).warn("could not publish {}", alert.subject());
        }
    }

    public String destination() {
        return properties.getDestination();
    }

    private static void set(MessageBuilder<byte[]> to, String header, Object value) {
        if (value != null) {
            to.setHeader(header, utf8(value.toString()));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
