package io.streamlake.tasks.fraud;

import io.streamlake.models.ModelRegistry;

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

import javax.sql.DataSource;

/**
 * The fraud-model-training job, wired: {@code training-set} ({@link TrainingSetTasklet}), {@code train}
 * ({@link TrainTasklet}), {@code register} ({@link RegisterTasklet}). The model registry is a table in the task's
 * datasource (PostgreSQL).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FraudModelTrainingProperties.class)
public class FraudModelTrainingConfiguration {

    @Bean
    FeatureRegistry featureRegistry(FraudModelTrainingProperties p) {
        return FeatureRegistryLoader.at(p.getRegistryFile());
    }

    @Bean
    TrainingRun trainingRun(FraudModelTrainingProperties p, FeatureRegistry registry) {
        TrainingRun run = new TrainingRun(p, registry);
        new io.streamlake.features.offline.TrainingSetQuery(registry, run.features()); // the features checked at start
        return run;
    }

    @Bean
    ModelRegistry modelRegistry(DataSource dataSource, FraudModelTrainingProperties p) {
        return new ModelRegistry(dataSource, p.getRegistryTable());
    }

    @Bean
    Job fraudModelTrainingJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                              TrainingRun run, FeatureRegistry registry, ModelRegistry models, TaskProgressListener progress) {
        return new JobBuilder("fraud-model-training", repository)
                .start(new StepBuilder("training-set", repository).tasklet(new TrainingSetTasklet(run, registry, models), tx)
                        .listener((StepExecutionListener) progress).build())
                .next(new StepBuilder("train", repository).tasklet(new TrainTasklet(run, models), tx)
                        .listener((StepExecutionListener) progress).build())
                .next(new StepBuilder("register", repository).tasklet(new RegisterTasklet(run, models), tx)
                        .listener((StepExecutionListener) progress).build())
                .build();
    }
}
