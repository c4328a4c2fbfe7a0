package io.streamlake.tasks.fraud;

import io.streamlake.models.ModelRegistry;

import io.streamlake.features.offline.TrainingSetQuery;
import io.streamlake.features.registry.FeatureRegistry;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code training-set} step: the labelled events into a ClickHouse table of the run's own
 * ({@link TrainingExamples}), the point-in-time join with the features of the model and of the current champion (so
 * both are scored on the same rows; {@link TrainingSetQuery}), streamed to a TabSeparatedWithNames file; the table
 * dropped whatever happened.
 */
final class TrainingSetTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(TrainingSetTasklet.class);

    private final TrainingRun run;
    private final FeatureRegistry registry;
    private final ModelRegistry models;

    TrainingSetTasklet(TrainingRun run, FeatureRegistry registry, ModelRegistry models) {
        this.run = run;
        this.registry = registry;
        this.models = models;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        FraudModelTrainingProperties p = run.properties();
        long instance = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        Path folder = run.folder(instance);
        Files.createDirectories(folder);
        List<String> features = new ArrayList<>(run.features());
        models.ensureTable();
        models.champion(p.getModelName()).ifPresent(champion -> champion.features().stream()
                .filter(f -> !features.contains(f)).forEach(features::add));
        run.rules().features().stream().filter(f -> !features.contains(f)).forEach(features::add);
        TrainingSetQuery query = new TrainingSetQuery(registry, features);
        TrainingExamples examples = new TrainingExamples(p.getEventsTable(), p.getLabelColumn(), p.getActivities(),
                p.getFrom(), run.to());
        String table = "fmt_examples_" + instance + "_" + System.currentTimeMillis();
        try (Connection c = p.getClickhouse().open(); Statement st = c.createStatement()) {
            try {
                long total;
                try (ResultSet rs = st.executeQuery(examples.count())) {
                    rs.next();
                    total = rs.getLong(1);
                }
                if (total == 0) {
                    throw new IllegalStateException("no labelled events in " + p.getEventsTable() + " before " + run.to()
                            + " (is the clickhouse sink mapping x-ground-truth to " + p.getLabelColumn() + "?)");
                }
                log.info("{} labelled events of {} before {}; taking at most {}", total, p.getActivities(), run.to(),
                        p.getMaxExamples());
                st.execute(examples.create(table, total, p.getMaxExamples()));
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT count() FROM " + table)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                Path target = TrainingRun.trainingSet(folder);
                long bytes = new ClickHouseHttp(p.getClickhouse()).export(
                        query.select(table, TrainingExamples.COLUMNS, run.to()), "TabSeparatedWithNames", target);
                log.info("Training set: {} examples with {} features, {} MB in {}", rows, features.size(), bytes >> 20,
                        target.toAbsolutePath());
                contribution.incrementReadCount();
                contribution.incrementWriteCount(rows);
            } finally {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return RepeatStatus.FINISHED;
    }
}
