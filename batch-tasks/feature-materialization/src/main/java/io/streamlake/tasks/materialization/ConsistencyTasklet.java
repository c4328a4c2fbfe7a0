package io.streamlake.tasks.materialization;

import io.streamlake.features.offline.OfflineViewQuery;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.util.List;

/**
 * The {@code consistency} step: a sample of each materialized view's entities read back from the online store and
 * compared with the offline store ({@link ConsistencyCheck}); mismatches make the step's exit status INCONSISTENT
 * (the task's exit code 2).
 */
final class ConsistencyTasklet implements Tasklet {

    private final ConsistencyCheck check;
    private final List<OfflineViewQuery> views;
    private final int sample;

    ConsistencyTasklet(ConsistencyCheck check, List<OfflineViewQuery> views, int sample) {
        this.check = check;
        this.views = views;
        this.sample = sample;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        long mismatches = 0;
        for (OfflineViewQuery view : views) {
            mismatches += check.check(view, sample, runId);
        }
        if (mismatches > 0) {
            contribution.setExitStatus(new ExitStatus("INCONSISTENT", mismatches + " online values differ from the offline store"));
        }
        return RepeatStatus.FINISHED;
    }
}
