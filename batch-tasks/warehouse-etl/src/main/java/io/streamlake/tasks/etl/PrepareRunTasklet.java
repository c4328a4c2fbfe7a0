package io.streamlake.tasks.etl;

import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code prepare} step: the staging and warehouse tables exist, and the run has its files and its line in etl_runs. */
final class PrepareRunTasklet implements Tasklet {

    private final JdbcTemplate jdbc;
    private final WarehouseSchema schema;
    private final RunLedger ledger;

    PrepareRunTasklet(JdbcTemplate jdbc, WarehouseSchema schema, RunLedger ledger) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.ledger = ledger;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        schema.ddl().forEach(jdbc::execute);
        ledger.begin(chunk.getStepContext().getStepExecution().getJobExecution());
        return RepeatStatus.FINISHED;
    }
}
