package io.streamlake.tasks.interactions;

import io.streamlake.task.TaskJobRunner;
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
 * The interaction-report job, wired: {@code report} ({@link ReportTasklet}), {@code export} ({@link ExportTasklet}),
 * {@code publish} ({@link PublishTasklet}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InteractionReportProperties.class)
public class InteractionReportConfiguration {

    /** A run is about its minute: a failed minute is restarted only when that minute is launched again. */
    @Bean
    TaskJobRunner.JobIdentity interactionReportIdentity(InteractionReportProperties p) {
        return () -> java.util.Map.of("minute", p.reportedMinute().toString());
    }

    @Bean
    InteractionTables interactionTables(InteractionReportProperties p) {
        return new InteractionTables(p);
    }

    @Bean
    Job interactionReportJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                             InteractionReportProperties p, InteractionTables tables, TaskProgressListener progress) {
        InteractionReport report = new InteractionReport(p.getMinEvents(), p.getThreshold(), p.getMinBaselineMinutes());
        return new JobBuilder("interaction-report", repository)
                .start(new StepBuilder("report", repository).tasklet(new ReportTasklet(p, tables, report), tx)
                        .listener((StepExecutionListener) progress).build())
                .next(new StepBuilder("export", repository).tasklet(new ExportTasklet(p, tables), tx)
                        .listener((StepExecutionListener) progress).build())
                .next(new StepBuilder("publish", repository).tasklet(new PublishTasklet(p), tx)
                        .listener((StepExecutionListener) progress).build())
                .build();
    }
}
