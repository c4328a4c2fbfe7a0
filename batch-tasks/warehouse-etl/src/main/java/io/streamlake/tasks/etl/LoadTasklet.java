package io.streamlake.tasks.etl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

/**
 * The {@code load} step, one transaction: the run's staged rows into the warehouse ({@link WarehouseLoader}), and
 * the run's files and counts into the ledger, so a file is marked loaded exactly when its rows are.
 */
final class LoadTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LoadTasklet.class);

    private final WarehouseLoader loader;
    private final RunLedger ledger;

    LoadTasklet(WarehouseLoader loader, RunLedger ledger) {
        this.loader = loader;
        this.ledger = ledger;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        JobExecution job = chunk.getStepContext().getStepExecution().getJobExecution();
        long runId = job.getJobInstance().getInstanceId();
        long rowsRead = ledger.rowsRead(runId); // before the load empties staging
        WarehouseLoader.Result result = loader.load(runId);
        ledger.loaded(job, rowsRead, result.factsLoaded());
        log.info("Run {} loaded {} facts ({} already in the warehouse, rejected), {} customer version changes, {} games upserted", runId,
                result.factsLoaded(), result.duplicatesRejected(), result.customersVersioned(), result.gamesUpserted());
        return RepeatStatus.FINISHED;
    }
}
