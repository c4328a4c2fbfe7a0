package io.streamlake.tasks.historical;

import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.task.TaskProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The historical-features job: one step, {@code training-set}: the entity file into a ClickHouse table of the run's
 * own, the point-in-time join, the result exported as CSV and/or Parquet, the table dropped. Requested features and
 * the entity file's columns are checked before anything runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HistoricalFeaturesProperties.class)
public class HistoricalFeaturesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HistoricalFeaturesConfiguration.class);

    @Bean
    FeatureRegistry featureRegistry(HistoricalFeaturesProperties properties) {
        return properties.getRegistryFile() == null ? FeatureRegistryLoader.casino() : FeatureRegistryLoader.load(properties.getRegistryFile());
    }

    @Bean
    TrainingSetQuery trainingSetQuery(FeatureRegistry registry, HistoricalFeaturesProperties properties) {
        List<String> refs = properties.getFeatures();
        if (refs.isEmpty()) {
            if (properties.getFeatureService() == null) {
                throw new IllegalArgumentException("set historical-features.features (view:feature, ...) or historical-features.feature-service");
            }
            refs = registry.featureService(properties.getFeatureService()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown feature service '" + properties.getFeatureService() + "'"));
        }
        if (properties.getEntityFile() == null || !Files.isRegularFile(properties.getEntityFile())) {
            throw new IllegalArgumentException("historical-features.entity-file " + properties.getEntityFile() + " is not a file");
        }
        for (String format : properties.getFormats()) {
            if (!List.of("csv", "parquet").contains(format.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("historical-features.formats: '" + format + "' is not csv or parquet");
            }
        }
        return new TrainingSetQuery(registry, refs);
    }

    @Bean
    Job historicalFeaturesJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                              TrainingSetQuery query, HistoricalFeaturesProperties properties, TaskProgressListener progress) {
        return new JobBuilder("historical-features", repository).start(new StepBuilder("training-set", repository)
                .tasklet((contribution, chunk) -> {
                    long runId = chunk.getStepContext().getStepExecution().getJobExecution().getId();
                    String table = "hf_entities_" + runId + "_" + System.currentTimeMillis();
                    ClickHouseHttp http = new ClickHouseHttp(properties.getClickhouse());
                    try (Connection c = properties.getClickhouse().open()) {
                        try {
                            EntityTable entities = EntityTable.load(properties.getEntityFile(), properties.getTimestampColumn(),
                                    query.joinKeys(), c, table);
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
                }, tx).listener((StepExecutionListener) progress).build()).build();
    }
}
