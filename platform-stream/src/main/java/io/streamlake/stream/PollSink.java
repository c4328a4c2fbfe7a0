package io.streamlake.stream;

import io.streamlake.core.event.InvalidEventException;

import java.util.List;

/**
 * What a sink app plugs into the per-poll skeleton ({@link StreamPolls#sink}): how a record becomes an item to
 * write, and how a batch of items is written. The skeleton reads the poll, sends empty and unreadable records to
 * the DLQ, retries the write with backoff while the store is unavailable (health DOWN, the shared
 * {@code streamlake.sink.retry.*} settings), counts records in, out and rejected, and returns only after the write
 * succeeded, so the binder commits the poll's offsets only then.
 *
 * @param <T> an item as the writer takes it
 */
public interface PollSink<T> {

    /** The item for a record; an {@link InvalidEventException} sends the record to the DLQ with its reason. */
    T read(InboundRecord record) throws InvalidEventException;

    /**
     * Writes the items (never called with none). Throws {@link #unavailable()} exceptions when the store could not
     * take them (the same items are tried again), anything else to fail the poll.
     */
    Written write(List<T> items) throws Exception;

    /** The exception that says the store is unavailable for now. */
    Class<? extends Exception> unavailable();

    /** What is written, for the log while retrying: "feature rows to Redis". */
    String describe();

    /** Items the store took, and records it refused one by one (they go to the DLQ as SINK_REJECTED). */
    record Written(long written, List<Refused> refused) {
        public static Written all(long written) {
            return new Written(written, List.of());
        }
    }

    /** A record the store refused, and why. */
    record Refused(DeadLetterPublisher.Provenance from, byte[] payload, String message, Throwable cause) {
    }
}
