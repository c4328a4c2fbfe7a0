package io.streamlake.tasks.etl;

import io.streamlake.task.PostgresCopy;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.annotation.BeforeStep;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ItemWriter;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a chunk of cleaned records: clean rows by COPY into their staging table, rejects by COPY into
 * {@code etl_rejects} with file, line, reason and the raw text, both in the chunk's transaction.
 */
final class StagingWriter implements ItemWriter<SourceRows.Cleaned> {

    private final DataSource dataSource;
    private final String source;
    private final String stagingTable;
    private final String stagingColumns;
    private final Function<Object, List<?>> values;
    private final String rejectsTable;
    private long runId;

    StagingWriter(DataSource dataSource, String source, String stagingTable, String stagingColumns,
                  Function<Object, List<?>> values, String rejectsTable) {
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
        StringBuilder rows = new StringBuilder(chunk.size() * 160);
        StringBuilder rejects = new StringBuilder();
        List<Object> row = new ArrayList<>(16);
        for (SourceRows.Cleaned item : chunk) {
            row.clear();
            row.add(runId);
            row.add(item.source().file());
            row.add(item.source().line());
            if (item instanceof SourceRows.Clean clean) {
                row.addAll(values.apply(clean.row()));
                PostgresCopy.row(rows, row);
            } else {
                SourceRows.Rejected r = (SourceRows.Rejected) item;
                row.add(source);
                row.add(r.reason().code());
                row.add(r.detail());
                row.add(r.source().raw());
                PostgresCopy.row(rejects, row);
            }
        }
        PostgresCopy.copy(dataSource, stagingTable, "run_id, file, line, " + stagingColumns, rows);
        PostgresCopy.copy(dataSource, rejectsTable, "run_id, file, line, source, reason, detail, raw", rejects);
    }
}
