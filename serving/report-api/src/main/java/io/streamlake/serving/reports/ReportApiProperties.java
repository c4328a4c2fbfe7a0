package io.streamlake.serving.reports;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings of the report API. */
@ConfigurationProperties("report-api")
public class ReportApiProperties {

    /** ClickHouse holding the reports, e.g. jdbc:clickhouse://127.0.0.1:8123/streamlake. */
    private String clickhouseUrl = "jdbc:clickhouse://127.0.0.1:8123/streamlake";

    /** ClickHouse user. */
    private String clickhouseUsername = "default";

    /** ClickHouse password (from the environment: REPORT_API_CLICKHOUSE_PASSWORD). */
    private String clickhousePassword = "";

    /** The table interaction-report writes. */
    private String reportTable = "interaction_reports";

    /** The longest time range one request may ask for; longer ones are refused with 400. */
    private Duration maxRange = Duration.ofDays(1);

    public String getClickhouseUrl() { return clickhouseUrl; }
    public void setClickhouseUrl(String clickhouseUrl) { this.clickhouseUrl = clickhouseUrl; }
    public String getClickhouseUsername() { return clickhouseUsername; }
    public void setClickhouseUsername(String clickhouseUsername) { this.clickhouseUsername = clickhouseUsername; }
    public String getClickhousePassword() { return clickhousePassword; }
    public void setClickhousePassword(String clickhousePassword) { this.clickhousePassword = clickhousePassword; }
    public String getReportTable() { return reportTable; }
    public void setReportTable(String reportTable) { this.reportTable = reportTable; }
    public Duration getMaxRange() { return maxRange; }
    public void setMaxRange(Duration maxRange) { this.maxRange = maxRange; }
}
