package io.streamlake.task;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings every StreamLake task app shares. */
@ConfigurationProperties("streamlake.task")
public class TaskAppProperties {

    /** How often a running step logs its progress (items read, written, skipped). */
    private Duration progressInterval = Duration.ofSeconds(5);

    /** Whether the app runs its job at start-up (turned off by tests that launch the job themselves). */
    private boolean runJob = true;

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public boolean isRunJob() {
        return runJob;
    }

    public void setRunJob(boolean runJob) {
        this.runJob = runJob;
    }
}
