package io.streamlake.task;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Runs the task app's one job at start-up through {@link RestartableJobLauncher}, and turns its outcome into the
 * task's exit code: 0 when the job completed, 1 when it failed (the task execution records the job's exit
 * description), or the code a {@link JobOutcome} chose, so composed tasks can branch on it.
 * Command-line arguments of the form {@code name=value} (SCDF's task arguments) become non-identifying job parameters;
 * a {@link JobIdentity} bean adds identifying ones.
 */
public final class TaskJobRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(TaskJobRunner.class);

    /** Lets a job map its completed execution to an exit code of its own (e.g. data-quality: 2 = expectations failed). */
    @FunctionalInterface
    public interface JobOutcome {
        int exitCode(JobExecution execution);
    }

    /**
     * What a run is about, for a job run once per something (a minute, a day): identifying job parameters, so a failed
     * run is restarted only when the same thing is launched again, and a launch for another one starts afresh.
     */
    @FunctionalInterface
    public interface JobIdentity {
        java.util.Map<String, String> parameters();
    }

    private final Job job;
    private final RestartableJobLauncher launcher;
    private final JobIdentity identity;
    private final JobOutcome outcome;
    private final TaskExitCode exitCode;

    private final ApplicationEventPublisher events;

    public TaskJobRunner(Job job, RestartableJobLauncher launcher, JobIdentity identity, JobOutcome outcome,
                         TaskExitCode exitCode, ApplicationEventPublisher events) {
        this.job = job;
        this.launcher = launcher;
        this.identity = identity;
        this.outcome = outcome;
        this.exitCode = exitCode;
        this.events = events;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        JobParametersBuilder parameters = new JobParametersBuilder();
        for (String arg : args.getNonOptionArgs()) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                parameters.addString(arg.substring(0, eq), arg.substring(eq + 1), false);
            }
        }
        identity.parameters().forEach((name, value) -> parameters.addString(name, value, true));
        JobExecution execution = launcher.run(job, parameters.toJobParameters());
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            exitCode.set(1);
            log.info("Job '{}' execution {} (instance {}) ended {}", job.getName(), execution.getId(),
                    execution.getJobInstance().getInstanceId(), execution.getStatus());
            // Thrown so Spring Cloud Task records the failure (exit code 1, the job's error) in TASK_EXECUTION.
            throw new JobFailedException(job.getName(), execution);
        }
        int code = outcome.exitCode(execution);
        String status = execution.getExitStatus().getExitCode();
        exitCode.set(code, "COMPLETED".equals(status) ? null : status);
        if (code != 0) {
            // Spring Cloud Task records the task's end (TASK_EXECUTION.EXIT_CODE, what SCDF shows) when the application
            // is ready, before SpringApplication.exit runs the exit code generators: tell it now.
            events.publishEvent(new ExitCodeEvent(this, code));
        }
        log.info("Job '{}' execution {} (instance {}) ended {}, exit code {}{}", job.getName(), execution.getId(),
                execution.getJobInstance().getInstanceId(), execution.getStatus(), code,
                execution.getExitStatus().getExitDescription().isEmpty() ? "" : ": " + execution.getExitStatus().getExitDescription());
    }

    /** The job ended FAILED or STOPPED; launch the task again to restart it from its last committed chunk. */
    public static final class JobFailedException extends RuntimeException {
        JobFailedException(String job, JobExecution execution) {
            super("job '" + job + "' execution " + execution.getId() + " ended " + execution.getStatus() + ": "
                    + execution.getAllFailureExceptions().stream().map(Throwable::getMessage).findFirst()
                    .orElse(execution.getExitStatus().getExitDescription()) + " (launch the task again to restart it"
                    + " from its last committed chunk)");
        }
    }

}
