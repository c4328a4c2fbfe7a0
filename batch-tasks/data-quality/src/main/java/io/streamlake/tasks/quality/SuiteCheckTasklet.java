package io.streamlake.tasks.quality;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.sql.Connection;
import java.util.List;

/** One suite's step: its expectations run on its database, and every result is stored under the job's run id. */
final class SuiteCheckTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(SuiteCheckTasklet.class);

    private final QualitySuite suite;
    private final QualityRunner runner;
    private final QualityResults results;
    private final SuiteConnections connections;

    SuiteCheckTasklet(QualitySuite suite, QualityRunner runner, QualityResults results, SuiteConnections connections) {
        this.suite = suite;
        this.runner = runner;
        this.results = results;
        this.connections = connections;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
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
    }
}
