package io.streamlake.stream;

import java.util.Map;

/**
 * One record of a Kafka poll, as the per-poll skeleton ({@link StreamPolls}) hands it to an app: its bytes,
 * and on demand its key, own headers and provenance (computed only when asked: most records never need them).
 */
public final class InboundRecord {

    private final KafkaBatch batch;
    private final int index;
    private final byte[] payload;
    private boolean replay;

    InboundRecord(KafkaBatch batch, int index, byte[] payload) {
        this.batch = batch;
        this.index = index;
        this.payload = payload;
    }

    /** The record's bytes; never null or empty in {@code process} or {@code read} (empty records go to the DLQ first). */
    public byte[] payload() {
        return payload;
    }

    public byte[] key() {
        return batch.key(index);
    }

    /** The record's own headers, as the binder converted them. */
    public Map<String, Object> headers() {
        return batch.headers(index);
    }

    public DeadLetterPublisher.Provenance provenance() {
        return batch.provenance(index);
    }

    /**
     * Whether the processor said this record is read again on purpose (to rebuild state after a rebalance): it is not
     * counted in, and its rejections are not sent again.
     */
    public boolean isReplay() {
        return replay;
    }

    void replay(boolean replay) {
        this.replay = replay;
    }
}
