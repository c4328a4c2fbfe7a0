package io.streamlake.tasks.quality;

import io.streamlake.task.TaskJobRunner;
import io.streamlake.task.TaskProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The data-quality job: one step per suite (its expectations run, results stored), then {@code report}. Suites are
 * loaded and checked against the databases when the app starts, so a bad file fails the task before any check runs.
 * Exit code: 0 all error-severity expectations passed, 2 one failed, 1 the job itself failed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataQualityProperties.class)
public class DataQualityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DataQualityConfiguration.class);
    static final String EXPECTATIONS_FAILED = "EXPECTATIONS_FAILED";

    /** Opens connections to a suite's database. */
    @FunctionalInterface
    interface Connections {
        Connection open(QualitySuite.Source source) throws SQLException;
    }

    @Bean
    Connections qualityConnections(DataSource dataSource, DataQualityProperties properties) {
        return source -> {
            if (source == QualitySuite.Source.POSTGRES) {
                return dataSource.getConnection();
            }
            return properties.getClickhouse().open();
        };
    }

    @Bean
    List<QualitySuite> qualitySuites(DataQualityProperties properties, Connections connections, QualityRunner runner)
            throws IOException, SQLException {
        List<QualitySuite> suites = new ArrayList<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String location : properties.getSuites()) {
            Resource[] found = resolver.getResources(location);
            if (found.length == 0) {
                throw new QualityDefinitionException(location + ": no suite file there (data-quality.suites)");
            }
            for (Resource r : found) {
                try (Reader reader = new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8)) {
                    suites.add(QualitySuiteLoader.parse(r.getFilename(), reader));
                }
            }
        }
        for (QualitySuite suite : suites) {
            if (suites.stream().filter(s -> s.dataset().equals(suite.dataset())).count() > 1) {
                throw new QualityDefinitionException(suite.file() + ": dataset '" + suite.dataset() + "' is declared by more than one suite");
            }
            try (Connection c = connections.open(suite.source())) {
                runner.validate(suite, c);
            }
        }
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
                       List<QualitySuite> qualitySuites, QualityRunner runner, QualityResults results, Connections connections,
                       DataQualityProperties properties, TaskProgressListener progress) {
        SimpleJobBuilder job = null;
        for (QualitySuite suite : qualitySuites) {
            var step = new StepBuilder("suite-" + suite.dataset(), repository).tasklet((contribution, chunk) -> {
                long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
                List<QualityRunner.CheckResult> checked;
                try (Connection c = connections.open(suite.source())) {
                    checked = runner.run(suite, c);
                }
                results.store(runId, suite, checked);
                long failed = checked.stream().filter(r -> !r.passed()).count();
                contribution.incrementReadCount();
                contribution.incrementWriteCount(checked.size());
                log.info("Suite {}: {} expectations, {} failed{}", suite.dataset(), checked.size(), failed, checked.stream()
                        .filter(r -> !r.passed()).map(r -> "\n  FAILED " + r.expectation().severity() + " " + r.expectation().name()
                                + " (" + r.expectation().declaredAt() + "): " + r.observed() + ", expected " + r.expected()).toList());
                return RepeatStatus.FINISHED;
            }, tx).listener((org.springframework.batch.core.StepExecutionListener) progress).build();
            job = job == null ? new JobBuilder("data-quality", repository).start(step) : job.next(step);
        }
        var report = new StepBuilder("report", repository).tasklet((contribution, chunk) -> {
            long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
            Path file = QualityReport.write(properties.getReportDir(), runId,
                    QualityReport.markdown(runId, Instant.now(), results.run(runId)));
            long failedErrors = results.failedErrors(runId);
            log.info("Report: {} ({} error-severity expectation(s) failed)", file.toAbsolutePath(), failedErrors);
            if (failedErrors > 0) {
                contribution.setExitStatus(new ExitStatus(EXPECTATIONS_FAILED, failedErrors + " error-severity expectation(s) failed;"
                        + " report: " + file.toAbsolutePath()));
            }
            return RepeatStatus.FINISHED;
        }, tx).build();
        return (job == null ? new JobBuilder("data-quality", repository).start(report) : job.next(report)).build();
    }

    /** Exit code 2 when an error-severity expectation failed (the job itself completed). */
    @Bean
    TaskJobRunner.JobOutcome dataQualityOutcome(QualityResults results) {
        return execution -> results.failedErrors(execution.getJobInstance().getInstanceId()) > 0 ? 2 : 0;
    }
}
