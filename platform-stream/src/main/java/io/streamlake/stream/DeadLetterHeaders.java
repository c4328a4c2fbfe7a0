package io.streamlake.stream;

/** Headers on every dead-letter record. Values are UTF-8 text, readable by any Kafka client. */
public final class DeadLetterHeaders {

    /** The {@link io.streamlake.core.event.RejectionReason} name. */
    public static final String REASON = "x-dlq-reason";
    /** Human-readable detail: which field, what was wrong. */
    public static final String DETAIL = "x-dlq-detail";
    /** Class of the exception behind the rejection, if any. */
    public static final String EXCEPTION_CLASS = "x-dlq-exception-class";
    /** The app that rejected the record (spring.application.name). */
    public static final String APP = "x-dlq-app";
    public static final String ORIGINAL_TOPIC = "x-dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "x-dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "x-dlq-original-offset";
    /** "true" when the payload was cut to {@code streamlake.dlq.max-payload-bytes}. */
    public static final String PAYLOAD_TRUNCATED = "x-dlq-payload-truncated";
    /** Size of the original payload in bytes. */
    public static final String ORIGINAL_SIZE = "x-dlq-original-size";

    private DeadLetterHeaders() {
    }
}
