package io.streamlake.tasks.quality;

import io.streamlake.task.TaskJobRunner;
import io.streamlake.task.TaskProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Wires the data-quality job: one {@link SuiteCheckTasklet} step per suite, then the {@link ReportTasklet}. Suites are
 * loaded and checked against the databases when the app starts ({@link QualitySuites}), so a bad file fails the task
 * before any check runs. Exit code: 0 all error-severity expectations passed, 2 one failed, 1 the job itself failed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataQualityProperties.class)
public class DataQualityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DataQualityConfiguration.class);

    @Bean
    SuiteConnections qualityConnections(DataSource dataSource, DataQualityProperties properties) {
        return source -> source == QualitySuite.Source.POSTGRES ? dataSource.getConnection() : properties.getClickhouse().open();
    }

    @Bean
    List<QualitySuite> qualitySuites(DataQualityProperties properties, SuiteConnections connections, QualityRunner runner)
            throws IOException, SQLException {
        List<QualitySuite> suites = QualitySuites.load(properties.getSuites(), connections, runner);
        log.info("Loaded {} suite(s): {}", suites.size(), suites.stream().map(s -> s.dataset() + " (" + s.expectations().size()
                + " expectations)").toList());
        return suites;
    }

    @Bean
    QualityRunner qualityRunner(DataQualityProperties properties) {
        return new QualityRunner(properties.getSampleRows(), Clock.systemUTC());
    }

    @Bean
    QualityResults qualityResults(JdbcTemplate jdbc, DataQualityProperties properties) {
        return new QualityResults(jdbc, properties.getResultsSchema());
    }

    @Bean
    Job dataQualityJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                       List<QualitySuite> qualitySuites, QualityRunner runner, QualityResults results,
                       SuiteConnections connections, DataQualityProperties properties, TaskProgressListener progress) {
        SimpleJobBuilder job = null;
        for (QualitySuite suite : qualitySuites) {
            Step step = new StepBuilder("suite-" + suite.dataset(), repository)
                    .tasklet(new SuiteCheckTasklet(suite, runner, results, connections), tx)
                    .listener((StepExecutionListener) progress).build();
            job = job == null ? new JobBuilder("data-quality", repository).start(step) : job.next(step);
        }
        Step report = new StepBuilder("report", repository).tasklet(new ReportTasklet(results, properties.getReportDir()), tx).build();
        return (job == null ? new JobBuilder("data-quality", repository).start(report) : job.next(report)).build();
    }

    /** Exit code 2 when an error-severity expectation failed (the job itself completed). */
    @Bean
    TaskJobRunner.JobOutcome dataQualityOutcome(QualityResults results) {
        return execution -> results.failedErrors(execution.getJobInstance().getInstanceId()) > 0 ? 2 : 0;
    }
}
