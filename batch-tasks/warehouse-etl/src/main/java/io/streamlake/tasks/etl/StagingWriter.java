package io.streamlake.tasks.etl;

import io.streamlake.task.PostgresCopy;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.annotation.BeforeStep;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ItemWriter;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes a chunk of cleaned records: clean rows by COPY into their staging table, rejects by COPY into
 * {@code etl_rejects} with file, line, reason and the raw text, both in the chunk's transaction (which commits
 * without waiting for the disk: see {@link PostgresCopy#commitWithoutWaitingForDisk}).
 */
final class StagingWriter implements ItemWriter<SourceRows.Cleaned> {

    private final DataSource dataSource;
    private final String source;
    private final String stagingTable;
    private final String stagingColumns;
    /** Writes a clean row's columns (after run_id, file, line) into the COPY. */
    private final BiConsumer<PostgresCopy, Object> values;
    private final String rejectsTable;
    private long runId;

    StagingWriter(DataSource dataSource, String source, String stagingTable, String stagingColumns,
                  BiConsumer<PostgresCopy, Object> values, String rejectsTable) {
        this.dataSource = dataSource;
        this.source = source;
        this.stagingTable = stagingTable;
        this.stagingColumns = stagingColumns;
        this.values = values;
        this.rejectsTable = rejectsTable;
    }

    @BeforeStep
    public void beforeStep(StepExecution step) {
        runId = step.getJobExecution().getJobInstance().getInstanceId();
    }

    @Override
    public void write(Chunk<? extends SourceRows.Cleaned> chunk) {
        PostgresCopy.commitWithoutWaitingForDisk(dataSource);
        List<SourceRows.Rejected> rejected = new ArrayList<>();
        try (PostgresCopy rows = PostgresCopy.into(dataSource, stagingTable, "run_id, file, line, " + stagingColumns)) {
            for (SourceRows.Cleaned item : chunk) {
                if (item instanceof SourceRows.Clean clean) {
                    rows.value(runId).value(item.source().file()).value(item.source().line());
                    values.accept(rows, clean.row());
                    rows.endRow();
                } else {
                    rejected.add((SourceRows.Rejected) item);
                }
            }
            rows.finish();
        }
        if (!rejected.isEmpty()) {
            try (PostgresCopy rejects = PostgresCopy.into(dataSource, rejectsTable, "run_id, file, line, source, reason, detail, raw")) {
                for (SourceRows.Rejected r : rejected) {
                    rejects.value(runId).value(r.source().file()).value(r.source().line()).value(source).value(r.reason().code())
                            .value(r.detail()).value(r.source().raw()).endRow();
                }
                rejects.finish();
            }
        }
    }
}
