package io.streamlake.tasks.etl;

import io.streamlake.core.event.CasinoEventRules;

import io.streamlake.task.PostgresCopy;
import io.streamlake.task.TaskProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobExecutionListener;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.step.builder.SimpleStepBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warehouse-etl job: {@code prepare} (schema, run log, the run's file list) → {@code activity},
 * {@code customers}, {@code games} (CSV → clean → staging by COPY, rejects with file/line/reason) →
 * {@code profiles} (the customer-profile API, when configured) → {@code load} (staging → warehouse, one transaction)
 * → {@code retention} (when configured). Files already loaded (same SHA-256) are not read again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarehouseEtlProperties.class)
public class WarehouseEtlConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarehouseEtlConfiguration.class);
    static final String JOB_NAME = "warehouse-etl";

    @Bean
    WarehouseSchema warehouseSchema(WarehouseEtlProperties properties) {
        return new WarehouseSchema(properties.getStagingSchema(), properties.getWarehouseSchema());
    }

    @Bean
    SourceRowCleaner sourceRowCleaner(WarehouseEtlProperties properties) {
        return new SourceRowCleaner(new SourceTimestamps(ZoneId.of(properties.getZone()), properties.getDateTimeFormats(),
                properties.getDateFormats()), new CasinoEventRules(properties.getMaxWinMultiplier()));
    }

    @Bean
    Job warehouseEtlJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx, DataSource dataSource,
                        WarehouseEtlProperties properties, WarehouseSchema schema, SourceRowCleaner cleaner,
                        TaskProgressListener progress, JdbcTemplate jdbc) {
        RunDuplicateFilter runDuplicates = new RunDuplicateFilter(jdbc, schema.staging("activity"));
        SimpleJobBuilder job = new JobBuilder(JOB_NAME, repository)
                .listener(runLog(jdbc, schema))
                .start(new StepBuilder("prepare", repository).allowStartIfComplete(true)
                        .tasklet((contribution, chunk) -> {
                            prepare(jdbc, schema, properties, chunk.getStepContext().getStepExecution().getJobExecution());
                            return RepeatStatus.FINISHED;
                        }, tx).build())
                .next(csvStep("activity", "activity", repository, tx, dataSource, properties, schema, progress,
                        drill(properties), record -> runDuplicates.apply(cleaner.activity(record)),
                        "event_id, customer_id, activity_datetime, game_activity, game_id, game_type, bet_amount, win_amount,"
                                + " bonus_amount, transaction_amount, currency", WarehouseEtlConfiguration::activityValues, runDuplicates))
                .next(csvStep("customers", "customers", repository, tx, dataSource, properties, schema, progress,
                        row -> row, cleaner::customer, "source, customer_id, name, email, country, vip_level, updated_at",
                        (copy, row) -> customerValues("csv", copy, row)))
                .next(csvStep("games", "games", repository, tx, dataSource, properties, schema, progress, row -> row, cleaner::game,
                        "game_id, name, game_type, provider, rtp", WarehouseEtlConfiguration::gameValues));
        if (properties.getApi().getUrl() != null) {
            job.next(new StepBuilder("profiles", repository)
                    .<CsvRecord, SourceRows.Cleaned>chunk(properties.getChunkSize(), tx)
                    .reader(new ProfileApiReader(new PagedApiClient(properties.getApi().settings()),
                            properties.getApi().getUrl().toString()))
                    .processor(cleaner::customer)
                    .writer(new StagingWriter(dataSource, "profiles", schema.staging("customers"),
                            "source, customer_id, name, email, country, vip_level, updated_at", (copy, row) -> customerValues("api", copy, row),
                            schema.warehouse("etl_rejects")))
                    .listener((Object) progress)
                    .build());
        }
        job.next(new StepBuilder("load", repository).tasklet((contribution, chunk) -> {
            long runId = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
            load(jdbc, schema, properties, runId, chunk.getStepContext().getStepExecution().getJobExecution());
            return RepeatStatus.FINISHED;
        }, tx).build());
        if (properties.getRetention().getMaxAge() != null) {
            job.next(new StepBuilder("retention", repository).allowStartIfComplete(true).tasklet((contribution, chunk) -> {
                new PartitionRetention(jdbc, schema, properties.getRetention()).apply(Instant.now());
                return RepeatStatus.FINISHED;
            }, tx).build());
        }
        return job.build();
    }

    private Step csvStep(String name, String kind, JobRepository repository, PlatformTransactionManager tx, DataSource dataSource,
                         WarehouseEtlProperties properties, WarehouseSchema schema, TaskProgressListener progress,
                         ItemProcessor<SourceRows.Cleaned, SourceRows.Cleaned> processor,
                         java.util.function.Function<CsvRecord, SourceRows.Cleaned> cleaner, String columns,
                         java.util.function.BiConsumer<PostgresCopy, Object> values, StepExecutionListener... listeners) {
        SimpleStepBuilder<SourceRows.Cleaned, SourceRows.Cleaned> step = new StepBuilder(name, repository)
                .<SourceRows.Cleaned, SourceRows.Cleaned>chunk(properties.getChunkSize(), tx)
                .reader(new CsvSourceReader<>(kind, Charset.forName(properties.getEncoding()), properties.getDelimiter(),
                        properties.getQuote(), properties.getMaxRecordLines(), cleaner))
                .processor(processor)
                .writer(new StagingWriter(dataSource, kind, schema.staging(kind), columns, values, schema.warehouse("etl_rejects")))
                .listener((Object) progress);
        for (StepExecutionListener listener : listeners) {
            step.listener(listener);
        }
        return step.build();
    }

    static void activityValues(PostgresCopy copy, Object o) {
        SourceRows.Activity a = (SourceRows.Activity) o;
        copy.value(a.eventId()).value(a.customerId()).value(a.activityDatetime()).value(a.gameActivity()).value(a.gameId())
                .value(a.gameType()).value(a.betAmount()).value(a.winAmount()).value(a.bonusAmount()).value(a.transactionAmount())
                .value(a.currency());
    }

    static void customerValues(String source, PostgresCopy copy, Object o) {
        SourceRows.Customer c = (SourceRows.Customer) o;
        copy.value(source).value(c.customerId()).value(c.name()).value(c.email()).value(c.country()).value(c.vipLevel())
                .value(c.updatedAt());
    }

    static void gameValues(PostgresCopy copy, Object o) {
        SourceRows.Game g = (SourceRows.Game) o;
        copy.value(g.gameId()).value(g.name()).value(g.gameType()).value(g.provider()).value(g.rtp());
    }

    /** The failure drill: the item after {@code failAfterChunks} full chunks fails its chunk (rolled back). */
    private static ItemProcessor<SourceRows.Cleaned, SourceRows.Cleaned> drill(WarehouseEtlProperties properties) {
        if (properties.getFailAfterChunks() <= 0) {
            return row -> row;
        }
        long failAt = (long) properties.getFailAfterChunks() * properties.getChunkSize() + 1;
        AtomicLong seen = new AtomicLong();
        return row -> {
            if (seen.incrementAndGet() == failAt) {
                throw new IllegalStateException("failure drill: warehouse-etl.fail-after-chunks="
                        + properties.getFailAfterChunks() + " reached at " + row.source().file() + ":" + row.source().line());
            }
            return row;
        };
    }

    private static void prepare(JdbcTemplate jdbc, WarehouseSchema schema, WarehouseEtlProperties properties, JobExecution job)
            throws IOException {
        schema.ddl().forEach(jdbc::execute);
        ExecutionContext context = job.getExecutionContext();
        long runId = job.getJobInstance().getInstanceId();
        if (!context.containsKey(CsvSourceReader.key("activity"))) {
            Set<String> loaded = Set.copyOf(jdbc.queryForList("SELECT sha256 FROM " + schema.warehouse("etl_loaded_files"), String.class));
            List<String> summary = new ArrayList<>();
            for (String[] source : new String[][]{{"activity", properties.getActivityFiles()},
                    {"customers", properties.getCustomerFiles()}, {"games", properties.getGameFiles()}}) {
                List<String> files = new ArrayList<>();
                List<String> hashes = new ArrayList<>();
                for (Path file : list(properties.getInputDir(), source[1])) {
                    String sha = sha256(file);
                    if (loaded.contains(sha) || hashes.contains(sha)) {
                        log.info("{}: already loaded (same SHA-256), not read again", file);
                        continue;
                    }
                    files.add(file.toAbsolutePath().toString());
                    hashes.add(sha);
                }
                context.putString(CsvSourceReader.key(source[0]), String.join("\n", files));
                context.putString(CsvSourceReader.key(source[0]) + ".sha256", String.join("\n", hashes));
                summary.add(source[0] + ": " + files.size() + " file(s)");
            }
            log.info("Run {} reads {}", runId, summary);
            jdbc.update("INSERT INTO " + schema.warehouse("etl_runs") + " (run_id, job_execution_id, started_at, status, sources)"
                    + " VALUES (?, ?, now(), 'RUNNING', ?) ON CONFLICT (run_id) DO NOTHING", runId, job.getId(),
                    String.join("; ", summary) + (properties.getApi().getUrl() == null ? "" : "; api: " + properties.getApi().getUrl()));
        }
        jdbc.update("UPDATE " + schema.warehouse("etl_runs") + " SET job_execution_id = ?, status = 'RUNNING' WHERE run_id = ?",
                job.getId(), runId);
    }

    private static void load(JdbcTemplate jdbc, WarehouseSchema schema, WarehouseEtlProperties properties, long runId, JobExecution job) {
        long staged = count(jdbc, "SELECT (SELECT count(*) FROM " + schema.staging("activity") + " WHERE run_id = ?)"
                + " + (SELECT count(*) FROM " + schema.staging("customers") + " WHERE run_id = ?)"
                + " + (SELECT count(*) FROM " + schema.staging("games") + " WHERE run_id = ?)", runId, runId, runId);
        long refused = count(jdbc, "SELECT count(*) FROM " + schema.warehouse("etl_rejects") + " WHERE run_id = ?", runId);
        WarehouseLoader.Result result = new WarehouseLoader(jdbc, schema, properties.getLoadWorkMem()).load(runId);
        ExecutionContext context = job.getExecutionContext();
        for (String source : List.of("activity", "customers", "games")) {
            String[] files = context.getString(CsvSourceReader.key(source), "").split("\n");
            String[] hashes = context.getString(CsvSourceReader.key(source) + ".sha256", "").split("\n");
            for (int i = 0; i < files.length; i++) {
                if (!files[i].isEmpty()) {
                    jdbc.update("INSERT INTO " + schema.warehouse("etl_loaded_files") + " (sha256, file_name, size_bytes, source, run_id)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", hashes[i], Path.of(files[i]).getFileName().toString(),
                            new java.io.File(files[i]).length(), source, runId);
                }
            }
        }
        long rejected = count(jdbc, "SELECT count(*) FROM " + schema.warehouse("etl_rejects") + " WHERE run_id = ?", runId);
        jdbc.update("UPDATE " + schema.warehouse("etl_runs") + " SET rows_read = ?, rows_loaded = ?, rows_rejected = ? WHERE run_id = ?",
                staged + refused, result.factsLoaded(), rejected, runId);
        log.info("Run {} loaded {} facts ({} already in the warehouse, rejected), {} customer version changes, {} games upserted", runId,
                result.factsLoaded(), result.duplicatesRejected(), result.customersVersioned(), result.gamesUpserted());
    }

    private static long count(JdbcTemplate jdbc, String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static JobExecutionListener runLog(JdbcTemplate jdbc, WarehouseSchema schema) {
        return new JobExecutionListener() {
            @Override
            public void afterJob(JobExecution job) {
                try {
                    jdbc.update("UPDATE " + schema.warehouse("etl_runs") + " SET status = ?, finished_at = ?,"
                                    + " duration_ms = (extract(epoch FROM (? - started_at)) * 1000)::bigint WHERE run_id = ?",
                            job.getStatus().name(), Timestamp.from(Instant.now()), Timestamp.from(Instant.now()),
                            job.getJobInstance().getInstanceId());
                } catch (RuntimeException e) {
                    log.warn("Could not record the end of run {} in etl_runs: {}", job.getJobInstance().getInstanceId(), e.getMessage());
                }
            }
        };
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        if (Files.notExists(dir)) {
            // A drop folder nothing was dropped into yet (a fresh machine): make it, and load nothing from it.
            Files.createDirectories(dir);
            log.info("warehouse-etl.input-dir {} did not exist: created it (empty)", dir.toAbsolutePath());
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("warehouse-etl.input-dir " + dir.toAbsolutePath() + " is not a folder");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            });
        }
        files.sort(null);
        return files;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
