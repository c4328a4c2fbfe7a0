package io.streamlake.task;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.batch.BatchAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/**
 * What every StreamLake task app gets: the restarting launcher, the progress listener (steps add it) and, when the
 * app has one {@link Job}, a runner that runs it at start-up and sets the task's exit code.
 * Each app sets {@code spring.batch.job.enabled=false} so Spring Boot's own runner stays out of the way.
 */
@AutoConfiguration(after = BatchAutoConfiguration.class)
@EnableConfigurationProperties(TaskAppProperties.class)
public class TaskAppAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RestartableJobLauncher restartableJobLauncher(JobLauncher launcher, JobRepository repository, JobExplorer explorer,
                                                  DataSource dataSource) {
        return new RestartableJobLauncher(launcher, repository, explorer, dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskProgressListener taskProgressListener(MeterRegistry registry, TaskAppProperties properties) {
        return new TaskProgressListener(registry, properties.getProgressInterval().toMillis());
    }

    @Bean
    @ConditionalOnSingleCandidate(Job.class)
    @ConditionalOnProperty(prefix = "streamlake.task", name = "run-job", havingValue = "true", matchIfMissing = true)
    TaskJobRunner taskJobRunner(Job job, RestartableJobLauncher launcher, ObjectProvider<TaskJobRunner.JobIdentity> identity,
                                ObjectProvider<TaskJobRunner.JobOutcome> outcome, TaskExitCode exitCode,
                                ApplicationEventPublisher events) {
        return new TaskJobRunner(job, launcher, identity.getIfAvailable(() -> java.util.Map::of),
                outcome.getIfAvailable(() -> execution -> 0), exitCode, events);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskExitCode taskExitCode() {
        return new TaskExitCode();
    }

    @Bean
    TaskExitMessage taskExitMessage(TaskExitCode exitCode) {
        return new TaskExitMessage(exitCode);
    }

    /** A failed run, or one that found a problem, as an alert on Kafka (when streamlake.task.alerts-brokers is set). */
    @Bean
    @ConditionalOnProperty(prefix = "streamlake.task", name = "alerts-brokers")
    TaskAlerts taskAlerts(TaskExitCode exitCode, TaskAppProperties properties) {
        return new TaskAlerts(exitCode, properties.getAlertsBrokers(), properties.getAlertsTopic());
    }
}
