package io.streamlake.tasks.historical;

import io.streamlake.features.offline.TrainingSetQuery;

import io.streamlake.task.ClickHouseHttp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

/**
 * The {@code training-set} step: the entity file into a ClickHouse table of the run's own ({@link EntityTable}), the
 * point-in-time join ({@link TrainingSetQuery}) exported as CSV and/or Parquet ({@link ClickHouseHttp}), the table
 * dropped whatever happened.
 */
final class TrainingSetTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(TrainingSetTasklet.class);

    private final TrainingSetQuery query;
    private final HistoricalFeaturesProperties properties;

    TrainingSetTasklet(TrainingSetQuery query, HistoricalFeaturesProperties properties) {
        this.query = query;
        this.properties = properties;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        long runId = chunk.getStepContext().getStepExecution().getJobExecution().getId();
        String table = "hf_entities_" + runId + "_" + System.currentTimeMillis();
        ClickHouseHttp http = new ClickHouseHttp(properties.getClickhouse());
        try (Connection c = properties.getClickhouse().open()) {
            try {
                EntityTable entities = EntityTable.load(properties.getEntityFile(), properties.getTimestampColumn(), query.joinKeys(), c, table);
                contribution.incrementReadCount();
                String select = query.select(table, entities.columns, entities.latest.plusMillis(1));
                Files.createDirectories(properties.getOutputDir());
                for (String format : properties.getFormats()) {
                    String f = format.toLowerCase(Locale.ROOT);
                    Path target = properties.getOutputDir().resolve(properties.getOutputName() + "." + f);
                    long bytes = http.export(select, f.equals("csv") ? "CSVWithNames" : "Parquet", target);
                    log.info("Training set: {} rows, {} bytes of {} in {}", entities.rows, bytes, f, target.toAbsolutePath());
                }
                contribution.incrementWriteCount(entities.rows);
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
        return RepeatStatus.FINISHED;
    }
}
