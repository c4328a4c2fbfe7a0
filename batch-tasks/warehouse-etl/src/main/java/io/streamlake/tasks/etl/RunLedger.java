package io.streamlake.tasks.etl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobExecutionListener;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ETL knows about its runs and files. It chooses a run's files (those in the input folder matching each
 * source's pattern whose SHA-256 no earlier run loaded) and keeps the choice in the job's execution context, so a
 * restart reads exactly the same files; it records the loaded files in {@code etl_loaded_files} when the run's load
 * commits, and the run itself in {@code etl_runs} (sources, counts, status, duration).
 */
final class RunLedger implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);
    /** The CSV sources, in the order their steps run. */
    static final List<String> SOURCES = List.of("activity", "customers", "games");

    private final JdbcTemplate jdbc;
    private final WarehouseSchema schema;
    private final Path inputDir;
    /** Each source's file pattern (a glob in the input folder). */
    private final Map<String, String> patterns;
    /** Where a run also reads from besides files (the profile API), for the run log; null when nowhere. */
    private final String otherSources;

    RunLedger(JdbcTemplate jdbc, WarehouseSchema schema, WarehouseEtlProperties properties) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.inputDir = properties.getInputDir();
        this.patterns = new LinkedHashMap<>();
        patterns.put("activity", properties.getActivityFiles());
        patterns.put("customers", properties.getCustomerFiles());
        patterns.put("games", properties.getGameFiles());
        this.otherSources = properties.getApi().getUrl() == null ? null : "api: " + properties.getApi().getUrl();
    }

    /** A source's files for the run, as {@link #begin} chose them. */
    static List<Path> files(ExecutionContext job, String source) {
        return Arrays.stream(job.getString(filesKey(source), "").split("\n")).filter(p -> !p.isEmpty()).map(Path::of).toList();
    }

    private static String filesKey(String source) {
        return "files." + source;
    }

    private static String hashesKey(String source) {
        return filesKey(source) + ".sha256";
    }

    /**
     * Starts (or, on a restart, resumes) the run: the first time, chooses its files and logs it in {@code etl_runs};
     * always marks it running under this job execution.
     */
    void begin(JobExecution job) throws IOException {
        ExecutionContext context = job.getExecutionContext();
        long runId = job.getJobInstance().getInstanceId();
        if (!context.containsKey(filesKey("activity"))) {
            Set<String> loaded = Set.copyOf(jdbc.queryForList("SELECT sha256 FROM " + schema.warehouse("etl_loaded_files"), String.class));
            List<String> summary = new ArrayList<>();
            for (Map.Entry<String, String> source : patterns.entrySet()) {
                List<String> files = new ArrayList<>();
                List<String> hashes = new ArrayList<>();
                for (Path file : list(inputDir, source.getValue())) {
                    String sha = sha256(file);
                    if (loaded.contains(sha) || hashes.contains(sha)) {
                        log.info("{}: already loaded (same SHA-256), not read again", file);
                        continue;
                    }
                    files.add(file.toAbsolutePath().toString());
                    hashes.add(sha);
                }
                context.putString(filesKey(source.getKey()), String.join("\n", files));
                context.putString(hashesKey(source.getKey()), String.join("\n", hashes));
                summary.add(source.getKey() + ": " + files.size() + " file(s)");
            }
            log.info("Run {} reads {}", runId, summary);
            jdbc.update("INSERT INTO " + schema.warehouse("etl_runs") + " (run_id, job_execution_id, started_at, status, sources)"
                    + " VALUES (?, ?, now(), 'RUNNING', ?) ON CONFLICT (run_id) DO NOTHING", runId, job.getId(),
                    String.join("; ", summary) + (otherSources == null ? "" : "; " + otherSources));
        }
        jdbc.update("UPDATE " + schema.warehouse("etl_runs") + " SET job_execution_id = ?, status = 'RUNNING' WHERE run_id = ?",
                job.getId(), runId);
    }

    /** Rows of the run in staging, and rows already refused while staging (read = the two together). */
    long rowsRead(long runId) {
        long staged = count("SELECT (SELECT count(*) FROM " + schema.staging("activity") + " WHERE run_id = ?)"
                + " + (SELECT count(*) FROM " + schema.staging("customers") + " WHERE run_id = ?)"
                + " + (SELECT count(*) FROM " + schema.staging("games") + " WHERE run_id = ?)", runId, runId, runId);
        return staged + rowsRejected(runId);
    }

    long rowsRejected(long runId) {
        return count("SELECT count(*) FROM " + schema.warehouse("etl_rejects") + " WHERE run_id = ?", runId);
    }

    /**
     * Records, in the load's transaction, the run's files as loaded (their SHA-256 is not read again) and its counts.
     */
    void loaded(JobExecution job, long rowsRead, long rowsLoaded) {
        ExecutionContext context = job.getExecutionContext();
        long runId = job.getJobInstance().getInstanceId();
        for (String source : SOURCES) {
            List<Path> files = files(context, source);
            String[] hashes = context.getString(hashesKey(source), "").split("\n");
            for (int i = 0; i < files.size(); i++) {
                jdbc.update("INSERT INTO " + schema.warehouse("etl_loaded_files") + " (sha256, file_name, size_bytes, source, run_id)"
                                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", hashes[i], files.get(i).getFileName().toString(),
                        files.get(i).toFile().length(), source, runId);
            }
        }
        jdbc.update("UPDATE " + schema.warehouse("etl_runs") + " SET rows_read = ?, rows_loaded = ?, rows_rejected = ? WHERE run_id = ?",
                rowsRead, rowsLoaded, rowsRejected(runId), runId);
    }

    /** The run's end, whatever it was: status, finish time and duration in {@code etl_runs}. */
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

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
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
