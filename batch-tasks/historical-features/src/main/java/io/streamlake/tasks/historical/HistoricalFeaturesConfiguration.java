package io.streamlake.tasks.historical;

import io.streamlake.features.offline.TrainingSetQuery;

import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.task.TaskProgressListener;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;


/**
 * The historical-features job, wired: one step, {@code training-set} ({@link TrainingSetTasklet}): the entity file into
 * a ClickHouse table of the run's own, the point-in-time join, the result exported as CSV and/or Parquet, the table
 * dropped. Requested features and the entity file's columns are checked before anything runs
 * ({@link TrainingSetRequest}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HistoricalFeaturesProperties.class)
public class HistoricalFeaturesConfiguration {

    @Bean
    FeatureRegistry featureRegistry(HistoricalFeaturesProperties properties) {
        return properties.getRegistryFile() == null ? FeatureRegistryLoader.casino() : FeatureRegistryLoader.load(properties.getRegistryFile());
    }

    @Bean
    TrainingSetQuery trainingSetQuery(FeatureRegistry registry, HistoricalFeaturesProperties properties) {
        return TrainingSetRequest.query(registry, properties);
    }

    @Bean
    Job historicalFeaturesJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                              TrainingSetQuery query, HistoricalFeaturesProperties properties, TaskProgressListener progress) {
        return new JobBuilder("historical-features", repository).start(new StepBuilder("training-set", repository)
                .tasklet(new TrainingSetTasklet(query, properties), tx).listener((StepExecutionListener) progress).build()).build();
    }
}
