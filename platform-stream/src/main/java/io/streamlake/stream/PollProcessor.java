package io.streamlake.stream;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.springframework.messaging.Message;

/**
 * What a processor app plugs into the per-poll skeleton ({@link StreamPolls#processor}): what to do with each
 * readable record, and optionally with the poll as a whole. The skeleton reads the poll, sends empty records to the
 * DLQ, counts records in and out, and returns what the processor emitted for the binder to send; the binder commits
 * the poll's offsets after that.
 */
public interface PollProcessor {

    /** Where a processor's outcomes go: records to send, and rejections of the current record. */
    interface Poll {
        /** A record to send to {@code output} (see {@link OutboundRecord}). */
        void emit(Message<byte[]> record);

        /** Sends the current record to the DLQ with the reason (not during a replay: it was sent the first time). */
        void reject(RejectionReason reason, String detail, Throwable cause);
    }

    /**
     * One readable record. An {@link InvalidEventException} thrown here rejects the record with its reason, like
     * {@link Poll#reject}; anything else fails the poll (the binder then retries it).
     */
    void process(InboundRecord record, Poll poll) throws InvalidEventException;

    /** After the poll's last record: what the poll as a whole produces (an aggregation's rows, say). */
    default void endOfPoll(Poll poll) {
    }

    /** Whether a record is read again on purpose (see {@link InboundRecord#isReplay}); asked once per record. */
    default boolean isReplay(InboundRecord record) {
        return false;
    }
}
