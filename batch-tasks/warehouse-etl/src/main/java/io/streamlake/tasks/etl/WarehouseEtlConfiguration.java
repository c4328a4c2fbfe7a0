package io.streamlake.tasks.etl;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.streamlake.core.event.CasinoEventRules;
import io.streamlake.task.ReadAheadItemReader;
import io.streamlake.task.TaskProgressListener;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.SimpleStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.support.CompositeItemProcessor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.List;

/**
 * The warehouse-etl job, wired: {@code prepare} (schema; the run's files and its line in etl_runs) →
 * {@code activity}, {@code customers}, {@code games} (CSV records read ahead and cleaned → staging by COPY, rejects
 * with file/line/reason) → {@code profiles} (the customer-profile API, when configured) → {@code load} (staging →
 * warehouse, one transaction) → {@code retention} (when configured). The parts live beside this class: reading
 * ({@link CsvRecordReader}, {@link ReadAheadItemReader}, {@link ProfileApiReader}), cleaning ({@link SourceRowCleaner},
 * {@link RunDuplicateFilter}), staging ({@link StagingWriter}, {@link StagingTable}), loading ({@link WarehouseLoader},
 * {@link RunLedger}, {@link PartitionRetention}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarehouseEtlProperties.class)
public class WarehouseEtlConfiguration {

    static final String JOB_NAME = "warehouse-etl";

    private final JobRepository repository;
    private final PlatformTransactionManager tx;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final WarehouseEtlProperties properties;
    private final WarehouseSchema schema;
    private final TaskProgressListener progress;

    WarehouseEtlConfiguration(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                              DataSource dataSource, JdbcTemplate jdbc, WarehouseEtlProperties properties, TaskProgressListener progress) {
        this.repository = repository;
        this.tx = tx;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.properties = properties;
        this.schema = new WarehouseSchema(properties.getStagingSchema(), properties.getWarehouseSchema());
        this.progress = progress;
    }

    @Bean
    RunLedger runLedger() {
        return new RunLedger(jdbc, schema, properties);
    }

    @Bean
    SourceRowCleaner sourceRowCleaner() {
        return new SourceRowCleaner(new SourceTimestamps(ZoneId.of(properties.getZone()), properties.getDateTimeFormats(),
                properties.getDateFormats()), new CasinoEventRules(properties.getMaxWinMultiplier()));
    }

    @Bean
    Job warehouseEtlJob(RunLedger ledger, Step prepare, Step activity, Step customers, Step games, Step profiles, Step load,
                        Step retention) {
        SimpleJobBuilder job = new JobBuilder(JOB_NAME, repository).listener(ledger)
                .start(prepare).next(activity).next(customers).next(games);
        if (properties.getApi().getUrl() != null) {
            job.next(profiles);
        }
        job.next(load);
        if (properties.getRetention().getMaxAge() != null) {
            job.next(retention);
        }
        return job.build();
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
                .writer(new StagingWriter<>(dataSource, "profiles", StagingTable.customers(schema, "api"), schema))
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
                .writer(new StagingWriter<>(dataSource, source, staging, schema))
                .listener(records)
                .listener((Object) progress);
    }
}
