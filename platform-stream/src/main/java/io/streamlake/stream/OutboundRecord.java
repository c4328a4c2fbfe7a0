package io.streamlake.stream;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * A record for a processor's {@code output} binding: payload, Kafka key and the headers to carry. Unlike a
 * {@code MessageBuilder} message it has no generated {@code id} and {@code timestamp} headers: they never reach
 * Kafka (the producer's header patterns leave them out), and generating a random UUID per record is a measurable
 * part of a processor's per-record cost.
 */
public final class OutboundRecord {

    private OutboundRecord() {
    }

    /** {@code payload} keyed by {@code key} (null: no key, the binder spreads such records), with {@code headers} added. */
    public static Message<byte[]> of(byte[] payload, byte[] key, Map<String, Object> headers) {
        if (headers.isEmpty()) { // the common case: MessageHeaders copies what it is given, so give it the least
            return new GenericMessage<>(payload, new RecordHeaders(key == null ? Map.of() : Map.of(KafkaHeaders.KEY, key)));
        }
        Map<String, Object> all = new HashMap<>(headers.size() * 2 + 2);
        all.putAll(headers);
        if (key != null) {
            all.put(KafkaHeaders.KEY, key);
        }
        return new GenericMessage<>(payload, new RecordHeaders(all));
    }

    /** Message headers without the generated id and timestamp. */
    private static final class RecordHeaders extends MessageHeaders {
        private static final long serialVersionUID = 1L;

        RecordHeaders(Map<String, Object> headers) {
            super(headers, ID_VALUE_NONE, -1L);
        }
    }
}
