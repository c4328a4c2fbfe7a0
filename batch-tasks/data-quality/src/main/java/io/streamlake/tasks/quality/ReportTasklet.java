package io.streamlake.tasks.quality;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The last step: the run's Markdown report, and the exit status {@value #EXPECTATIONS_FAILED} when an error-severity
 * expectation failed (what SCDF shows, and what a composed task's transition reads).
 */
final class ReportTasklet implements Tasklet {

    static final String EXPECTATIONS_FAILED = "EXPECTATIONS_FAILED";
    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

    private final QualityResults results;
    private final Path reportDir;

    ReportTasklet(QualityResults results, Path reportDir) {
        this.results = results;
        this.reportDir = reportDir;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        Path file = QualityReport.write(reportDir, runId, QualityReport.markdown(runId, Instant.now(), results.run(runId)));
        long failedErrors = results.failedErrors(runId);
        log.info("Report: {} ({} error-severity expectation(s) failed)", file.toAbsolutePath(), failedErrors);
        if (failedErrors > 0) {
            contribution.setExitStatus(new ExitStatus(EXPECTATIONS_FAILED, failedErrors + " error-severity expectation(s) failed;"
                    + " report: " + file.toAbsolutePath()));
        }
        return RepeatStatus.FINISHED;
    }
}
