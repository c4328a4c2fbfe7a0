package io.streamlake.tasks.etl;

import org.springframework.batch.core.ItemWriteListener;
import org.springframework.batch.item.Chunk;

/**
 * The failure drill ({@code warehouse-etl.fail-after-chunks}): the chunk after the first {@code chunks} written chunks
 * of a step fails before it is written, so its transaction rolls back and the job stops FAILED, for rehearsing a
 * restart. Off (and never installed) at 0.
 */
final class FailureDrill<T extends SourceRows.Cleaned<?>> implements ItemWriteListener<T> {

    private final int chunks;
    private int written;

    FailureDrill(int chunks) {
        this.chunks = chunks;
    }

    @Override
    public void beforeWrite(Chunk<? extends T> items) {
        if (++written > chunks && !items.isEmpty()) {
            SourceRows.Cleaned<?> first = items.getItems().get(0);
            throw new IllegalStateException("failure drill: warehouse-etl.fail-after-chunks=" + chunks + " reached at "
                    + first.source().file() + ":" + first.source().line());
        }
    }
}
