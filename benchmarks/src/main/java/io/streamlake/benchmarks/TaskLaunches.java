package io.streamlake.benchmarks;

import io.streamlake.testsupport.TestPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Task apps launched from their jars into a PostgreSQL database of the benchmark's own, and what their job
 * repository says about a run: the task benchmarks' shared harness.
 */
final class TaskLaunches {

    /** How a launch ended, and the task JVM's peak resident memory. */
    record Run(int exit, long peakRssKb) {
    }

    private final String database;

    TaskLaunches(String database) {
        this.database = database;
    }

    /** Runs {@code jar} against the benchmark's database until it exits (20 minutes at most), sampling its memory. */
    Run launch(Path jar, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString(), "--spring.datasource.url=" + url(),
                "--spring.datasource.username=" + TestPostgres.user()));
        String extra = System.getenv("STREAMLAKE_APP_JVM_OPTIONS"); // e.g. a JFR recording while profiling, as for stream apps
        if (extra != null && !extra.isBlank()) {
            command.addAll(1, List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peak = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, peakRssKb(p.pid()));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException(jar.getFileName() + " did not finish in 20 minutes; see " + log);
            }
        }
        return new Run(p.exitValue(), peak);
    }

    /** VmHWM of a process (its peak resident memory), in kB; 0 when it is gone. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception gone) {
            return 0;
        }
        return 0;
    }

    /** The last run of {@code job}: end time minus start time from BATCH_JOB_EXECUTION (JVM start-up excluded). */
    double jobSeconds(String job) throws SQLException {
        return Double.parseDouble(scalar("SELECT extract(epoch FROM (e.end_time - e.start_time)) FROM batch_job_execution e"
                + " JOIN batch_job_instance i USING (job_instance_id) WHERE i.job_name = '" + job + "'"
                + " ORDER BY e.job_execution_id DESC LIMIT 1"));
    }

    /** The last run of {@code job}: each step's seconds, in order ("report 1.20 s, export 0.80 s"). */
    String stepSeconds(String job) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT s.step_name, extract(epoch FROM (s.end_time - s.start_time)) FROM batch_step_execution s"
                        + " WHERE s.job_execution_id = (SELECT max(e.job_execution_id) FROM batch_job_execution e"
                        + " JOIN batch_job_instance i USING (job_instance_id) WHERE i.job_name = '" + job + "')"
                        + " ORDER BY s.step_execution_id")) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.2f s", rs.getDouble(2)));
            }
        }
        return out.toString();
    }

    /** Fails unless {@code sql} counts {@code expected}. */
    void check(String sql, long expected) throws SQLException {
        long actual = Long.parseLong(scalar(sql));
        if (actual != expected) {
            throw new IllegalStateException(sql + " gave " + actual + ", expected " + expected);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String scalar(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A fresh, empty database for the next trial. */
    void recreate() throws SQLException {
        drop();
        TestPostgres.run("CREATE DATABASE " + database);
    }

    void drop() throws SQLException {
        TestPostgres.run("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /** The JDBC URL of the benchmark's database (the task repository, and registries kept beside it). */
    String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), TestPostgres.user(), TestPostgres.password());
    }
}
