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

    /** Kafka brokers a run that failed or found a problem is published to as an alert; empty: no alerts. */
    private String alertsBrokers = "";

    /** Topic of those alerts (the alert sink's input). */
    private String alertsTopic = "alerts";

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public String getAlertsBrokers() {
        return alertsBrokers;
    }

    public void setAlertsBrokers(String alertsBrokers) {
        this.alertsBrokers = alertsBrokers;
    }

    public String getAlertsTopic() {
        return alertsTopic;
    }

    public void setAlertsTopic(String alertsTopic) {
        this.alertsTopic = alertsTopic;
    }

    public boolean isRunJob() {
        return runJob;
    }

    public void setRunJob(boolean runJob) {
        this.runJob = runJob;
    }
}
