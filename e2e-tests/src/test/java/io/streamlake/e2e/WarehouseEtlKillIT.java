package io.streamlake.e2e;

import io.streamlake.testsupport.StreamAppProcess;
import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warehouse-etl task run from its jar, killed with SIGKILL in the middle of its activity step (the job repository
 * still says STARTED), then launched again: it continues from the last committed chunk, and the warehouse holds every
 * row exactly once.
 */
class WarehouseEtlKillIT {

    @TempDir
    Path input;
    private final String repo = TestPostgres.createSchema("kill_repo");
    private final String staging = TestPostgres.createSchema("kill_staging");
    private final String warehouse = TestPostgres.createSchema("kill_wh");

    @AfterEach
    void drop() {
        TestPostgres.dropSchema(repo);
        TestPostgres.dropSchema(staging);
        TestPostgres.dropSchema(warehouse);
    }

    private Process launch(Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", StreamAppProcess.appJar("batch-tasks/warehouse-etl", "warehouse-etl").toString(),
                "--spring.datasource.url=" + TestPostgres.jdbcUrl(repo), "--spring.datasource.username=" + TestPostgres.user(),
                "--spring.datasource.password=" + TestPostgres.password(), "--warehouse-etl.input-dir=" + input,
                "--warehouse-etl.staging-schema=" + staging, "--warehouse-etl.warehouse-schema=" + warehouse,
                "--warehouse-etl.chunk-size=1000"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aKilledRunLaunchedAgainContinuesFromItsLastCommittedChunk() throws Exception {
        StringBuilder csv = new StringBuilder("event_id,customer_id,activity_datetime,game_activity,game_id,game_type,bet_amount,currency\n");
        for (int i = 0; i < 150_000; i++) {
            csv.append(String.format("00000000-0000-4000-8000-%012d,C%d,2026-10-%02dT12:00:00Z,bet,slots-1,slots,1.00,EUR%n",
                    i, i % 97, 1 + i % 28));
        }
        Files.writeString(input.resolve("activity-big.csv"), csv);

        Process first = launch(input.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (commits() < 5) {
            assertThat(first.isAlive()).as("still running (see first.log)").isTrue();
            assertThat(System.nanoTime()).as("5 chunks committed within 3 minutes").isLessThan(deadline);
            Thread.sleep(50);
        }
        first.destroyForcibly().waitFor(); // SIGKILL: no chance to record anything
        assertThat(TestPostgres.rows("SELECT status FROM " + repo + ".batch_job_execution")).containsExactly("STARTED");
        long stagedBeforeKill = Long.parseLong(TestPostgres.rows("SELECT count(*) FROM " + staging + ".activity").get(0));
        assertThat(stagedBeforeKill).isBetween(5_000L, 149_000L);

        Process second = launch(input.resolve("second.log"));
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).isZero();

        assertThat(TestPostgres.rows("SELECT count(*), count(DISTINCT event_id) FROM " + warehouse + ".fact_activity")).containsExactly("150000|150000");
        assertThat(TestPostgres.rows("SELECT count(*) FROM " + warehouse + ".etl_rejects")).containsExactly("0");
        assertThat(TestPostgres.rows("SELECT e.status, s.status, s.exit_message LIKE '%process running this step died%' FROM " + repo
                + ".batch_job_execution e JOIN " + repo + ".batch_step_execution s USING (job_execution_id) WHERE s.step_name = 'activity'"
                + " ORDER BY s.step_execution_id")).containsExactly("FAILED|FAILED|t", "COMPLETED|COMPLETED|f");
        long readAfterRestart = Long.parseLong(TestPostgres.rows("SELECT read_count FROM " + repo + ".batch_step_execution WHERE step_name = 'activity'"
                + " AND status = 'COMPLETED'").get(0));
        assertThat(readAfterRestart).as("the second run read only what the first had not committed").isEqualTo(150_000 - stagedBeforeKill);
    }

    private long commits() throws Exception {
        if (TestPostgres.rows("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + repo
                + "' AND table_name = 'batch_step_execution'").isEmpty()) {
            return 0; // the task has not created its job repository yet
        }
        return Long.parseLong(TestPostgres.rows("SELECT coalesce(max(commit_count), 0) FROM " + repo
                + ".batch_step_execution WHERE step_name = 'activity'").get(0));
    }
}
