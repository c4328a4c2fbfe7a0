package io.streamlake.tasks.etl;

import io.streamlake.task.PostgresCopy;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.annotation.BeforeStep;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ItemWriter;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a chunk of cleaned records: clean rows by COPY into their staging table, rejects by COPY into
 * {@code etl_rejects} with file, line, reason and the raw text, both in the chunk's transaction (which commits
 * without waiting for the disk: see {@link PostgresCopy#commitWithoutWaitingForDisk}).
 */
final class StagingWriter<T> implements ItemWriter<SourceRows.Cleaned<T>> {

    private final DataSource dataSource;
    private final String source;
    private final StagingTable<T> staging;
    private final String rejectsTable;
    private long runId;

    /** {@code source} names the records' source in {@code etl_rejects} (activity, customers, games, profiles). */
    StagingWriter(DataSource dataSource, String source, StagingTable<T> staging, WarehouseSchema schema) {
        this.dataSource = dataSource;
        this.source = source;
        this.staging = staging;
        this.rejectsTable = schema.warehouse("etl_rejects");
    }

    @BeforeStep
    public void beforeStep(StepExecution step) {
        runId = step.getJobExecution().getJobInstance().getInstanceId();
    }

    @Override
    public void write(Chunk<? extends SourceRows.Cleaned<T>> chunk) {
        PostgresCopy.commitWithoutWaitingForDisk(dataSource);
        List<SourceRows.Rejected<T>> rejected = new ArrayList<>();
        try (PostgresCopy rows = PostgresCopy.into(dataSource, staging.table(), "run_id, file, line, " + staging.columns())) {
            for (SourceRows.Cleaned<T> item : chunk) {
                if (item instanceof SourceRows.Clean<T> clean) {
                    rows.value(runId).value(clean.source().file()).value(clean.source().line());
                    staging.values().write(rows, clean.row());
                    rows.endRow();
                } else if (item instanceof SourceRows.Rejected<T> reject) {
                    rejected.add(reject);
                }
            }
            rows.finish();
        }
        if (!rejected.isEmpty()) {
            try (PostgresCopy rejects = PostgresCopy.into(dataSource, rejectsTable, "run_id, file, line, source, reason, detail, raw")) {
                for (SourceRows.Rejected<T> r : rejected) {
                    rejects.value(runId).value(r.source().file()).value(r.source().line()).value(source).value(r.reason().code())
                            .value(r.detail()).value(r.source().raw()).endRow();
                }
                rejects.finish();
            }
        }
    }
}
