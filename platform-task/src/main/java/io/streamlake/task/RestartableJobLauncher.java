package io.streamlake.task;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobInstance;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * Launches a task's job the way an operator expects from "launch it again":
 * <ul>
 *   <li>if the job's last run failed or stopped, and was about the same thing (the same identifying parameters, other
 *       than {@code run.id}, as this launch: none for most jobs, the minute for a per-minute one), the same job
 *       instance is restarted: completed steps are skipped
 *       and the failed step resumes after its last committed chunk (readers keep their position in the step's
 *       execution context, which commits with each chunk);</li>
 *   <li>if the last run was killed (the process died, so the repository still says STARTED), it is first marked
 *       FAILED and then restarted the same way;</li>
 *   <li>otherwise a new instance starts, with {@code run.id} one higher than the last.</li>
 * </ul>
 * "Killed" is only concluded while holding a PostgreSQL advisory lock on the job's name, held for the whole run:
 * a second launch while a run is alive fails at once instead of taking the live run for dead.
 */
public final class RestartableJobLauncher {

    private static final Logger log = LoggerFactory.getLogger(RestartableJobLauncher.class);

    private final JobLauncher launcher;
    private final JobRepository repository;
    private final JobExplorer explorer;
    private final DataSource dataSource;

    public RestartableJobLauncher(JobLauncher launcher, JobRepository repository, JobExplorer explorer, DataSource dataSource) {
        this.launcher = launcher;
        this.repository = repository;
        this.explorer = explorer;
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code job} to its end (new or restarted, see above). {@code arguments}' identifying parameters say what the
     * run is about; the others are for a new run only (a restart keeps the parameters of the run it continues).
     */
    public JobExecution run(Job job, JobParameters arguments) throws Exception {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock, job.getName())) {
                throw new IllegalStateException("job '" + job.getName() + "' is running in another process (its PostgreSQL"
                        + " advisory lock is held); not starting a second run");
            }
            try {
                JobParameters parameters = nextParameters(job, arguments);
                return launcher.run(job, parameters);
            } finally {
                unlock(lock, job.getName());
            }
        }
    }

    private JobParameters nextParameters(Job job, JobParameters arguments) {
        JobInstance last = explorer.getLastJobInstance(job.getName());
        if (last == null) {
            return withRunId(arguments, 1);
        }
        JobExecution lastExecution = explorer.getLastJobExecution(last);
        if (lastExecution == null) {
            return withRunId(arguments, runId(last) + 1);
        }
        BatchStatus status = lastExecution.getStatus();
        if (status.isRunning()) { // STARTING, STARTED, STOPPING: nobody holds the lock, so that process is gone
            markKilled(lastExecution);
            status = BatchStatus.FAILED;
        }
        if ((status == BatchStatus.FAILED || status == BatchStatus.STOPPED) && job.isRestartable()
                && identity(lastExecution.getJobParameters()).equals(identity(arguments))) {
            log.info("Restarting job '{}' instance {} (last execution {} {}): completed steps are skipped, the failed step"
                    + " resumes after its last committed chunk", job.getName(), last.getInstanceId(), lastExecution.getId(), status);
            return lastExecution.getJobParameters();
        }
        return withRunId(arguments, runId(lastExecution.getJobParameters()) + 1);
    }

    /** The identifying parameters other than run.id: what a run is about. */
    private static java.util.Map<String, Object> identity(JobParameters parameters) {
        java.util.Map<String, Object> identity = new java.util.HashMap<>();
        parameters.getParameters().forEach((name, p) -> {
            if (p.isIdentifying() && !name.equals("run.id")) {
                identity.put(name, p.getValue());
            }
        });
        return identity;
    }

    private long runId(JobInstance instance) {
        JobExecution any = explorer.getJobExecutions(instance).stream().findFirst().orElse(null);
        return any == null ? instance.getInstanceId() : runId(any.getJobParameters());
    }

    private static long runId(JobParameters parameters) {
        Long id = parameters.getLong("run.id");
        return id == null ? 0 : id;
    }

    private static JobParameters withRunId(JobParameters arguments, long runId) {
        return new JobParametersBuilder(arguments).addLong("run.id", runId, true).toJobParameters();
    }

    /** A run whose process died: its running steps and itself become FAILED, keeping their committed state. */
    private void markKilled(JobExecution execution) {
        LocalDateTime now = LocalDateTime.now();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(ExitStatus.FAILED.addExitDescription("the process running this step died"));
                step.setEndTime(now);
                repository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription("the process running this job died"));
        execution.setEndTime(now);
        repository.update(execution);
        log.warn("Job execution {} was still marked {} with no process running it: marked FAILED so it can be restarted",
                execution.getId(), "STARTED");
    }

    private static boolean tryLock(Connection c, String jobName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(current_schema() || ?))")) {
            ps.setString(1, "streamlake-job:" + jobName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, String jobName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(current_schema() || ?))")) {
            ps.setString(1, "streamlake-job:" + jobName);
            ps.execute();
        }
    }
}
