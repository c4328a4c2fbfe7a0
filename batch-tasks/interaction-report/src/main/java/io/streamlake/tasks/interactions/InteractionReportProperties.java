package io.streamlake.tasks.interactions;

import io.streamlake.task.ClickHouseJdbc;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Settings of the interaction-report task. */
@ConfigurationProperties("interaction-report")
public class InteractionReportProperties {

    /** The minute to report (e.g. 2026-12-01T10:15:00Z); unset reports the previous complete minute. */
    private Instant minute;

    /** The table the interactions pipeline's clickhouse sink writes. */
    private String sourceTable = "user_interactions";

    /** The table reports are written to (created if missing; a re-run of a minute replaces its rows). */
    private String reportTable = "interaction_reports";

    /** Minutes before the reported one that make its baseline. */
    private int baselineMinutes = 60;

    /** Fewest baseline minutes (each with min-events events of the type) needed to judge a type. */
    private int minBaselineMinutes = 5;

    /** Fewest events of a type in a minute to count the minute (in the baseline) or judge it. */
    private int minEvents = 20;

    /** The robust z-score from which a minute is anomalous. */
    private double threshold = 4.0;

    /** Directory the minute's rows are exported to as Parquet (minute=.../interactions.parquet); empty: no export. */
    private Path exportDir = Path.of("interaction-exports");

    /** Kafka brokers the report is published to; empty: not published. */
    private String brokers = "127.0.0.1:9092";

    /** Topic the report is published to, keyed by its minute. */
    private String topic = "interaction-reports";

    /** ClickHouse holding the interactions and the reports. */
    @NestedConfigurationProperty
    private final ClickHouseJdbc clickhouse = new ClickHouseJdbc();

    /** The minute reported: the one set, or the previous complete minute. */
    /** The minute this run reports, resolved once: every step of a run reports the same minute, even across its end. */
    Instant reportedMinute() {
        if (resolvedMinute == null) {
            resolvedMinute = minute != null ? minute.truncatedTo(ChronoUnit.MINUTES)
                    : Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
        }
        return resolvedMinute;
    }

    /** The minute resolved by {@link #reportedMinute()} (not a property: no accessors). */
    private Instant resolvedMinute;

    public Instant getMinute() { return minute; }
    public void setMinute(Instant minute) { this.minute = minute; }
    public String getSourceTable() { return sourceTable; }
    public void setSourceTable(String sourceTable) { this.sourceTable = sourceTable; }
    public String getReportTable() { return reportTable; }
    public void setReportTable(String reportTable) { this.reportTable = reportTable; }
    public int getBaselineMinutes() { return baselineMinutes; }
    public void setBaselineMinutes(int baselineMinutes) { this.baselineMinutes = baselineMinutes; }
    public int getMinBaselineMinutes() { return minBaselineMinutes; }
    public void setMinBaselineMinutes(int minBaselineMinutes) { this.minBaselineMinutes = minBaselineMinutes; }
    public int getMinEvents() { return minEvents; }
    public void setMinEvents(int minEvents) { this.minEvents = minEvents; }
    public double getThreshold() { return threshold; }
    public void setThreshold(double threshold) { this.threshold = threshold; }
    public Path getExportDir() { return exportDir; }
    public void setExportDir(Path exportDir) { this.exportDir = exportDir; }
    public String getBrokers() { return brokers; }
    public void setBrokers(String brokers) { this.brokers = brokers; }
    public String getTopic() { return topic; }
    public void setTopic(String topic) { this.topic = topic; }
    public ClickHouseJdbc getClickhouse() { return clickhouse; }
}
