package io.streamlake.tasks.etl;

import io.streamlake.common.http.PagedApiClient;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.streamlake.task.ReadAheadItemReader;
import io.streamlake.task.TaskProgressListener;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.SimpleStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.support.CompositeItemProcessor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.charset.Charset;
import java.util.List;

/** The warehouse-etl job's steps, wired from the parts beside this class (see {@link WarehouseEtlConfiguration}). */
@Configuration(proxyBeanMethods = false)
class WarehouseEtlSteps {

    private final JobRepository repository;
    private final PlatformTransactionManager tx;
    private final JdbcTemplate jdbc;
    private final WarehouseEtlProperties properties;
    private final WarehouseSchema schema;
    private final TaskProgressListener progress;

    WarehouseEtlSteps(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx, JdbcTemplate jdbc,
                      WarehouseEtlProperties properties, WarehouseSchema schema, TaskProgressListener progress) {
        this.repository = repository;
        this.tx = tx;
        this.jdbc = jdbc;
        this.properties = properties;
        this.schema = schema;
        this.progress = progress;
    }

    @Bean
    Step prepare(RunLedger ledger) {
        return new StepBuilder("prepare", repository).allowStartIfComplete(true)
                .tasklet(new PrepareRunTasklet(jdbc, schema, ledger), tx).build();
    }

    @Bean
    Step activity(SourceRowCleaner cleaner) {
        RunDuplicateFilter runDuplicates = new RunDuplicateFilter(jdbc, schema.staging("activity"));
        RunKeys runKeys = new RunKeys(jdbc, schema);
        ItemProcessor<CsvRecord, SourceRows.Cleaned<SourceRows.Activity>> cleaning = cleaner::activity;
        SimpleStepBuilder<SourceRows.Cleaned<SourceRows.Activity>, SourceRows.Cleaned<SourceRows.Activity>> step = csvStep("activity",
                new CompositeItemProcessor<>(List.of(cleaning, runDuplicates, runKeys)), StagingTable.activity(schema));
        if (properties.getFailAfterChunks() > 0) {
            step.listener(new FailureDrill<SourceRows.Cleaned<SourceRows.Activity>>(properties.getFailAfterChunks()));
        }
        return step.listener(runDuplicates).listener(runKeys).build();
    }

    @Bean
    Step customers(SourceRowCleaner cleaner) {
        return csvStep("customers", cleaner::customer, StagingTable.customers(schema, "csv")).build();
    }

    @Bean
    Step games(SourceRowCleaner cleaner) {
        return csvStep("games", cleaner::game, StagingTable.games(schema)).build();
    }

    /** Customer profiles from the paginated API (in the job when {@code warehouse-etl.api.url} is set). */
    @Bean
    Step profiles(SourceRowCleaner cleaner) {
        return new StepBuilder("profiles", repository).<CsvRecord, SourceRows.Cleaned<SourceRows.Customer>>chunk(properties.getChunkSize(), tx)
                .reader(new ProfileApiReader(new PagedApiClient(properties.getApi().settings()), String.valueOf(properties.getApi().getUrl())))
                .processor(cleaner::customer)
                .writer(new StagingWriter<>(jdbc.getDataSource(), "profiles", StagingTable.customers(schema, "api"), schema))
                .listener((Object) progress).build();
    }

    @Bean
    Step load(RunLedger ledger) {
        return new StepBuilder("load", repository)
                .tasklet(new LoadTasklet(new WarehouseLoader(jdbc, schema, properties.getLoadWorkMem()), ledger), tx).build();
    }

    /** Partition retention (in the job when {@code warehouse-etl.retention.max-age} is set). */
    @Bean
    Step retention() {
        return new StepBuilder("retention", repository).allowStartIfComplete(true)
                .tasklet(new PartitionRetention(jdbc, schema, properties.getRetention()), tx).build();
    }

    /**
     * A CSV source's chunk step: records read and cleaned ahead of the step on the reading thread, written to staging
     * by COPY.
     */
    private <T> SimpleStepBuilder<SourceRows.Cleaned<T>, SourceRows.Cleaned<T>> csvStep(
            String source, ItemProcessor<CsvRecord, SourceRows.Cleaned<T>> cleaning, StagingTable<T> staging) {
        CsvRecordReader records = new CsvRecordReader(source, Charset.forName(properties.getEncoding()), properties.getDelimiter(),
                properties.getQuote(), properties.getMaxRecordLines());
        return new StepBuilder(source, repository).<SourceRows.Cleaned<T>, SourceRows.Cleaned<T>>chunk(properties.getChunkSize(), tx)
                // Spring Batch times every item read, a third of the COPY thread at a million rows: these steps' Spring
                // Batch meters go nowhere; their progress is published as streamlake.task.items{step,kind}.
                .meterRegistry(new CompositeMeterRegistry())
                .reader(new ReadAheadItemReader<>("csv-reader-" + source, records, cleaning))
                .writer(new StagingWriter<>(jdbc.getDataSource(), source, staging, schema))
                .listener(records)
                .listener((Object) progress);
    }
}
