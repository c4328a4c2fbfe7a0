package io.streamlake.tasks.etl;

import io.streamlake.task.ReadAheadItemReader;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.ZoneId;

/**
 * The warehouse-etl job, wired: {@code prepare} → {@code activity}, {@code customers}, {@code games} → {@code profiles}
 * (when {@code api.url} is set) → {@code load} → {@code retention} (when {@code retention.max-age} is set). The steps
 * are wired in {@link WarehouseEtlSteps}; their parts live beside both: reading ({@link CsvRecordReader} behind
 * platform-task's {@code ReadAheadItemReader}, {@link ProfileApiReader}), cleaning ({@link SourceRowCleaner},
 * {@link RunDuplicateFilter}, {@link RunKeys}), staging ({@link StagingWriter}, {@link StagingTable}), loading
 * ({@link PrepareRunTasklet}, {@link LoadTasklet}, {@link WarehouseLoader}, {@link RunLedger}, {@link PartitionRetention}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarehouseEtlProperties.class)
public class WarehouseEtlConfiguration {

    @Bean
    WarehouseSchema warehouseSchema(WarehouseEtlProperties properties) {
        return new WarehouseSchema(properties.getStagingSchema(), properties.getWarehouseSchema());
    }

    @Bean
    RunLedger runLedger(JdbcTemplate jdbc, WarehouseSchema schema, WarehouseEtlProperties properties) {
        return new RunLedger(jdbc, schema, properties);
    }

    @Bean
    SourceRowCleaner sourceRowCleaner(WarehouseEtlProperties properties) {
        return new SourceRowCleaner(new SourceTimestamps(ZoneId.of(properties.getZone()), properties.getDateTimeFormats(),
                properties.getDateFormats()), properties.casinoContract());
    }

    @Bean
    Job warehouseEtlJob(JobRepository repository, WarehouseEtlProperties properties, RunLedger ledger, Step prepare, Step activity,
                        Step customers, Step games, Step profiles, Step load, Step retention) {
        SimpleJobBuilder job = new JobBuilder("warehouse-etl", repository).listener(ledger)
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
}
