package io.streamlake.tasks.interactions;

import io.streamlake.task.ClickHouseHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Step {@code export}: the minute's interactions as a Parquet file, {@code <export-dir>/minute=<minute>/interactions.parquet},
 * replaced atomically by a re-run (the extract the original pipeline kept in object storage; point export-dir at a
 * mounted bucket for S3).
 */
final class ExportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ExportTasklet.class);

    private final InteractionReportProperties properties;
    private final InteractionTables tables;

    ExportTasklet(InteractionReportProperties properties, InteractionTables tables) {
        this.properties = properties;
        this.tables = tables;
    }

    /** Where a minute's extract goes. */
    static Path file(Path dir, Instant minute) {
        return dir.resolve("minute=" + minute.toString().replace(':', '-')).resolve("interactions.parquet");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        if (properties.getExportDir() == null || properties.getExportDir().toString().isBlank()) {
            return RepeatStatus.FINISHED;
        }
        Instant minute = properties.reportedMinute();
        Path target = file(properties.getExportDir(), minute);
        Files.createDirectories(target.getParent());
        long bytes = new ClickHouseHttp(properties.getClickhouse()).export(tables.minuteRows(minute), "Parquet", target);
        log.info("Interactions of {}: {} bytes of Parquet in {}", minute, bytes, target.toAbsolutePath());
        return RepeatStatus.FINISHED;
    }
}
